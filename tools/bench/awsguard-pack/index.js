// @pulumi/awsguard's policies, all advisory (its own default), served as a policy pack: the
// yardstick npm run bench compares this repository's pack with, on the same resources.
"use strict";
const { AwsGuard } = require("@pulumi/awsguard");

new AwsGuard({ all: "advisory" });

/** The `emrServerless` settings block of a pipeline. */
import { z } from "zod";
import { addProblems, pythonModulesSchema, repoScript } from "../../decisions/pipeline";
import { validateEmrServerlessApplicationArgs } from "../../components/emr/serverless-application";
import { emrReleaseLabelSchema } from "../emr/settings";
import { jobCodeProblems } from "../../components/storage/job-script";

export const emrServerlessSettingsSchema = z
  .strictObject({
    script: repoScript("py"),
    /** Modules the script imports, shipped with `spark.submit.pyFiles`. */
    pythonModules: pythonModulesSchema,
    releaseLabel: emrReleaseLabelSchema,
    maximumVcpu: z.number().max(4000),
    maximumMemoryGb: z.number().max(16000),
    idleTimeoutMinutes: z.number(),
  })
  // The application component's own checks (release, memory per vCPU, auto-stop) and the script
  // upload's (JobScript: the files exist in the repository), at this block's keys.
  .superRefine((settings, ctx) =>
    addProblems(ctx, [
      ...validateEmrServerlessApplicationArgs(settings),
      ...jobCodeProblems("script", settings.script, "pythonModules", settings.pythonModules),
    ]),
  );

export type EmrServerlessSettings = z.infer<typeof emrServerlessSettingsSchema>;

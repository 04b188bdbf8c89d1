/** The `emrServerless` settings block of a pipeline. */
import { z } from "zod";
import { pythonModulesSchema, repoScript } from "../../decisions/pipeline";
import { emrReleaseLabelSchema } from "../emr/settings";

export const emrServerlessSettingsSchema = z.strictObject({
  script: repoScript("py"),
  /** Modules the script imports, shipped with `spark.submit.pyFiles`. */
  pythonModules: pythonModulesSchema,
  releaseLabel: emrReleaseLabelSchema,
  maximumVcpu: z.number().int().min(1).max(4000),
  maximumMemoryGb: z.number().int().min(1).max(16000),
  idleTimeoutMinutes: z.number().int().min(1).max(10080),
});

export type EmrServerlessSettings = z.infer<typeof emrServerlessSettingsSchema>;

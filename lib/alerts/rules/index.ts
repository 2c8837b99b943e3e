// Every alert rule kind, by name: the evaluator and the API look rules up here.
import type { RuleKind, RuleParams } from "@/lib/validations/alerts";
import { backlogAge, deadLetters, destinationFailure, oauthRefused } from "./destinations";
import { acceptanceDrop, violationRate } from "./quality";
import { suspectedRename } from "./rename";
import { mappingSilent } from "./silent";
import type { RuleDefinition } from "./types";
import { volumeDrop, volumeSpike } from "./volume";

export const RULES: { [K in RuleKind]: RuleDefinition<RuleParams<K>> } = {
  volume_drop: volumeDrop,
  volume_spike: volumeSpike,
  mapping_silent: mappingSilent,
  suspected_rename: suspectedRename,
  violation_rate: violationRate,
  acceptance_drop: acceptanceDrop,
  destination_failure: destinationFailure,
  dead_letters: deadLetters,
  backlog_age: backlogAge,
  oauth_refused: oauthRefused,
};

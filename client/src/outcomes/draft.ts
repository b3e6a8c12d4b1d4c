import { z } from "zod";
import type { Instrument } from "../../../shared/outcomes/instruments.js";
import { CrisisResource } from "../../../shared/profiles/schema.js";

/** The server's reply to `outcome:submit`, kept so a reload of the result screen still shows it [OUT2]. */
const Kept = z.object({
  seq: z.number().int(),
  submissionId: z.string(),
  total: z.number().int(),
  band: z.object({ code: z.string(), label: z.string() }),
  safety: z.boolean(),
  crisis: z.array(CrisisResource),
});

/**
 * [OUT1][OUT3] A questionnaire in progress, kept on the device so a dropped phone or a reload
 * resumes at the same question with the same answers. The command id is made once with the
 * draft and kept with it: every retry of the submission, even after a reload, carries it, so
 * the server records it once [LOG2].
 */
const Draft = z.object({
  id: z.string().min(1),
  /** One entry per item; null while unanswered. */
  answers: z.array(z.number().int().nullable()),
  /** -1: the preamble; 0..n-1: a question; n: the review. */
  step: z.number().int().min(-1),
  /** Set once the person pressed Submit: a reload sends it again (same id) instead of asking again. */
  submitting: z.boolean().default(false),
  /**
   * Once recorded: the reply (the answers themselves are dropped from the device then; the
   * record is the server's), so a reload of the crisis screen shows the crisis lines again.
   */
  result: Kept.nullable().default(null),
});
export type Draft = z.infer<typeof Draft>;

export interface DraftKey {
  userId: string;
  cohortId: string;
  visitId: string;
  instrument: Instrument;
}

function storageKey(k: DraftKey): string {
  return `holdspace.questionnaire.${k.userId}.${k.cohortId}.${k.visitId}.${k.instrument}`;
}

export function newDraft(items: number): Draft {
  return {
    id: crypto.randomUUID(),
    answers: Array.from({ length: items }, () => null),
    step: -1,
    submitting: false,
    result: null,
  };
}

/** The kept draft, or a new one when none is kept (or what is kept does not fit this questionnaire). */
export function loadDraft(k: DraftKey, items: number): Draft {
  try {
    const raw = localStorage.getItem(storageKey(k));
    if (raw !== null) {
      const d = Draft.safeParse(JSON.parse(raw));
      if (d.success && d.data.answers.length === items && d.data.step <= items) return d.data;
    }
  } catch {
    // Storage off (private mode) or unreadable: start afresh; the page still works without it.
  }
  return newDraft(items);
}

export function saveDraft(k: DraftKey, d: Draft): void {
  try {
    localStorage.setItem(storageKey(k), JSON.stringify(d));
  } catch {
    // Storage full or off: the answers stay in memory for this visit.
  }
}

/** Whether a questionnaire was begun on this device and not yet sent (for "Resume" instead of "Start"). */
export function startedHere(k: DraftKey, items: number): boolean {
  const d = loadDraft(k, items);
  return d.result === null && d.step >= 0;
}

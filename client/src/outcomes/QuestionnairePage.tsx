import { useCallback, useEffect, useState } from "react";
import { Link } from "wouter";
import { Instrument, type QuestionnaireDef } from "../../../shared/outcomes/instruments.js";
import { definitionOf } from "../../../shared/outcomes/score.js";
import { isOpen, type DueItem } from "../../../shared/outcomes/schedule.js";
import { sendCommand } from "../live/command.js";
import { useConnection } from "../live/socket.js";
import { NotFound } from "../Shell.js";
import { PageHeading } from "../PageHeading.js";
import { dateTime, dayHeading } from "../time.js";
import { loadDraft, saveDraft, type Draft, type DraftKey } from "./draft.js";
import { Progress, QuestionStep } from "./QuestionStep.js";
import { CompleteScreen, SafetyScreen } from "./Result.js";
import { Review } from "./Review.js";
import { useCohortDue } from "./useDue.js";
import "./outcomes.css";

/** /my/questionnaires/:cohortId/:visitId/:instrument — one questionnaire, for the signed-in participant. */
export function QuestionnairePage(props: { userId: string; cohortId: string; visitId: string; instrument: string }) {
  const instrument = Instrument.safeParse(props.instrument);
  if (!instrument.success) return <NotFound />;
  const k = { userId: props.userId, cohortId: props.cohortId, visitId: props.visitId, instrument: instrument.data };
  return <Questionnaire key={`${k.cohortId}/${k.visitId}/${k.instrument}`} draftKey={k} />;
}

/** Every answer given, in item order, or null while one is missing. */
function complete(answers: readonly (number | null)[]): number[] | null {
  const out: number[] = [];
  for (const a of answers) {
    if (a === null) return null;
    out.push(a);
  }
  return out;
}

/**
 * [OUT1][OUT3] The one renderer for any QuestionnaireDef: the preamble, one question at a time
 * with its progress, a review, then the submission. Every step is saved to the device as it
 * happens, so a reload resumes at the same question; the submission is sent with the draft's
 * id until the server answers, also across reloads [LOG2].
 */
function Questionnaire(props: { draftKey: DraftKey }) {
  const k = props.draftKey;
  const def = definitionOf(k.instrument);
  const n = def.items.length;
  const [draft, setDraft] = useState<Draft>(() => loadDraft(k, n));
  const due = useCohortDue(k.cohortId, k.userId);
  const { connected } = useConnection();
  const [error, setError] = useState<string | null>(null);
  // The key is fixed for this component: the page remounts it for another questionnaire.
  const [draftKey] = useState(k);
  const update = useCallback(
    (d: Draft): void => {
      saveDraft(draftKey, d);
      setDraft(d);
    },
    [draftKey],
  );

  const { submitting, result, id } = draft;
  const answers = complete(draft.answers);
  const answersKey = answers?.join(",") ?? "";
  useEffect(() => {
    if (!submitting || result !== null || answers === null) return;
    const abort = new AbortController();
    const base = { cohortId: k.cohortId, visitId: k.visitId };
    const sent =
      k.instrument === "phq9"
        ? sendCommand("outcome:submit", (cid) => ({ ...base, id: cid, instrument: "phq9", answers }), {
            id,
            signal: abort.signal,
          })
        : sendCommand("outcome:submit", (cid) => ({ ...base, id: cid, instrument: "qids-sr16", answers }), {
            id,
            signal: abort.signal,
          });
    sent.result.then(
      (ack) => {
        if (ack.ok) {
          // The answers leave the device once the server holds them; the reply stays for the screen.
          update({ id, answers: draft.answers.map(() => null), step: n, submitting: false, result: ack.data });
        } else {
          setError(ack.error.message);
          update({ ...draft, submitting: false });
        }
      },
      () => undefined, // Cancelled: the page went away; the draft still says "submitting".
    );
    return () => {
      abort.abort();
    };
    // Sent again only when what would be sent changes; `draft` itself changes on every save.
  }, [submitting, result, answersKey, id]);

  if (result !== null)
    return result.safety ? (
      <SafetyScreen reply={result} cohortId={k.cohortId} />
    ) : (
      <CompleteScreen reply={result} def={def} next={nextWords(due.items, k, due.zone)} />
    );
  if (submitting)
    return (
      <main className="page dim q-page" data-testid="q-sending">
        <PageHeading title={`Sending your ${def.shortTitle}`} />
        <p role="status">
          {connected
            ? "Sending your answers…"
            : "You are offline. Your answers are kept on this phone and will be sent as soon as you are back online."}
        </p>
      </main>
    );

  const item = due.items.find((d) => d.visitId === k.visitId && d.instrument === k.instrument);
  const done = item?.submissionId ? due.submissions.find((s) => s.id === item.submissionId) : undefined;
  if (due.ready && done)
    return (
      <main className="page dim q-page" data-testid="q-already">
        <PageHeading title={`${def.shortTitle}: ${item?.label ?? ""}`} />
        <p>
          You answered this on {dateTime(done.at, due.zone)}. Your score: {bandLabel(def, done.band)} ({done.total} out
          of {def.maxTotal}).
        </p>
        <Link href="/my/questionnaires">My questionnaires</Link>
      </main>
    );
  if (due.ready && (item === undefined || item.status === "upcoming" || item.status === "missed"))
    return (
      <main className="page dim q-page" data-testid="q-closed">
        <PageHeading title={def.shortTitle} />
        <p>
          {item === undefined
            ? "This questionnaire is not on your cohort's schedule."
            : item.status === "missed"
              ? "This one was due before your first dosing day and can no longer be taken."
              : item.opensAt
                ? `This one opens on ${dateTime(item.opensAt, due.zone)}.`
                : "This one opens once your first dosing day is scheduled."}
        </p>
        <Link href="/my/questionnaires">My questionnaires</Link>
      </main>
    );

  return (
    <main className="page dim q-page" data-testid="questionnaire">
      <PageHeading title={`${def.shortTitle}${item ? ` · ${item.label}` : ""}`} />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <Steps def={def} draft={draft} onChange={update} onSubmit={() => update({ ...draft, submitting: true })} />
    </main>
  );
}

/** The next questionnaire after this one, in words: due now, or when it opens. */
function nextWords(items: DueItem[], k: DraftKey, zone: string): string | null {
  const rest = items.filter((d) => !(d.visitId === k.visitId && d.instrument === k.instrument));
  const now = rest.find((d) => isOpen(d.status));
  const later = rest.find((d) => d.status === "upcoming");
  const next = now ?? later;
  if (!next) return null;
  const name = `the ${definitionOf(next.instrument).shortTitle} for ${next.label}`;
  if (now) return `${name} is due now; you can start it from your home screen.`;
  return next.opensAt
    ? `${name}, which opens on ${dayHeading(next.opensAt, zone)}.`
    : `${name}, once your first dosing day is scheduled.`;
}

function bandLabel(def: QuestionnaireDef, code: string): string {
  return def.bands.find((b) => b.code === code)?.label ?? code;
}

/** The preamble, the questions, the review: where `draft.step` points. */
function Steps(props: { def: QuestionnaireDef; draft: Draft; onChange: (d: Draft) => void; onSubmit: () => void }) {
  const { def, draft, onChange } = props;
  const n = def.items.length;
  const go = (step: number): void => {
    onChange({ ...draft, step });
    window.scrollTo(0, 0);
  };
  if (draft.step < 0)
    return (
      <section className="q-intro" data-testid="q-intro">
        <p className="q-lead">{def.title}</p>
        <p>{n} short questions, one at a time; it takes a few minutes. Each one asks:</p>
        <blockquote className="q-preamble">{def.preamble}</blockquote>
        <p className="muted">
          Your answers are kept on this phone as you go, so you can stop and come back. Your facilitators see them once
          you send them.
        </p>
        <button type="button" className="primary big q-wide" onClick={() => go(0)}>
          Begin
        </button>
      </section>
    );
  if (draft.step >= n)
    return (
      <>
        <Progress at={n} count={n} />
        <Review def={def} answers={draft.answers} onEdit={go} />
        <div className="q-nav">
          <button type="button" className="big" onClick={() => go(n - 1)}>
            Back
          </button>
          <button
            type="button"
            className="primary big"
            onClick={props.onSubmit}
            disabled={complete(draft.answers) === null}
          >
            Send my answers
          </button>
        </div>
      </>
    );
  const item = def.items[draft.step];
  if (!item) return null;
  const value = draft.answers[draft.step] ?? null;
  return (
    <>
      <Progress at={draft.step} count={n} />
      <QuestionStep
        item={item}
        index={draft.step}
        count={n}
        preamble={def.preamble}
        value={value}
        onChange={(v) => onChange({ ...draft, answers: draft.answers.map((a, i) => (i === draft.step ? v : a)) })}
      />
      <div className="q-nav">
        <button type="button" className="big" onClick={() => go(draft.step - 1)}>
          Back
        </button>
        <button type="button" className="primary big" disabled={value === null} onClick={() => go(draft.step + 1)}>
          {draft.step === n - 1 ? "Review" : "Next"}
        </button>
      </div>
    </>
  );
}

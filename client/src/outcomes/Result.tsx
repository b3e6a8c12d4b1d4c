import { Link } from "wouter";
import { safetyAlertId } from "../../../shared/domain/outcome-decide.js";
import type { QuestionnaireDef } from "../../../shared/outcomes/instruments.js";
import type { CommandReplies } from "../../../shared/protocol/events.js";
import { PageHeading } from "../PageHeading.js";
import { dateTime } from "../time.js";
import { useCohortOverview, useOutcomeStream } from "./useOutcomeStream.js";

export type SubmitReply = CommandReplies["outcome:submit"];

/**
 * [OUT2] The screen after answers that report thoughts of self-harm: warm words, the crisis
 * lines as large buttons a phone dials, that the facilitators have been told, and — live from
 * the participant's own outcome log — when one of them has seen it. Never a bare "thank you".
 */
export function SafetyScreen(props: { reply: SubmitReply; cohortId: string }) {
  const { reply, cohortId } = props;
  const stream = useOutcomeStream(cohortId);
  const overview = useCohortOverview(cohortId);
  const alert = stream.state.alerts[safetyAlertId(reply.submissionId)];
  const ack = alert?.ack ?? null;
  const who = ack ? (overview?.people.find((p) => p.id === ack.by)?.name ?? "A facilitator") : null;
  return (
    <main className="page dim q-page" data-testid="q-safety">
      <PageHeading title="You are not alone" />
      <p className="q-lead">
        Thank you for telling us how things really are. Some of your answers say you have had thoughts of death or of
        hurting yourself, and that matters.
      </p>
      <p className="q-lead">
        <strong>Your facilitators have been told</strong> and will reach out to you soon.
      </p>
      <p role="status" className={ack ? "q-seen seen" : "q-seen"} data-testid="q-seen">
        {ack && who
          ? `${who} has seen your answers (${dateTime(ack.at)}).`
          : "You will see here as soon as a facilitator has read your answers."}
      </p>
      <section className="card q-crisis" aria-labelledby="q-crisis-title">
        <h2 id="q-crisis-title">If you want to talk to someone now</h2>
        <p>You can reach someone at any hour. It is free and confidential.</p>
        <ul className="q-crisis-list">
          {reply.crisis.map((c) => (
            <li key={c.name}>
              {c.href ? (
                <a className="q-call" href={c.href} data-testid="q-crisis-link">
                  <span className="q-call-name">{c.name}</span>
                  <span className="q-call-how">{c.contact}</span>
                </a>
              ) : (
                <p className="q-call">
                  <span className="q-call-name">{c.name}</span>
                  <span className="q-call-how">{c.contact}</span>
                </p>
              )}
            </li>
          ))}
        </ul>
        <p>
          <strong>If you are in danger right now</strong>, or might act on these thoughts, call emergency services
          (above) or go to the nearest emergency room. If you can, stay with someone you trust until help comes.
        </p>
      </section>
      <p>
        <Link href="/my/questionnaires">My questionnaires</Link> · <Link href="/">Home</Link>
      </p>
    </main>
  );
}

/** Without a safety answer: a calm close, the score in words, and what comes next (`next`, in words). */
export function CompleteScreen(props: { reply: SubmitReply; def: QuestionnaireDef; next: string | null }) {
  const { reply, def } = props;
  return (
    <main className="page dim q-page" data-testid="q-complete">
      <PageHeading title={`${def.shortTitle} done`} />
      <p className="q-lead">Thank you — your answers are saved and your facilitators can see them.</p>
      <section className="card" aria-labelledby="q-score-title">
        <h2 id="q-score-title">Your score</h2>
        <p className="q-score" data-testid="q-score">
          {reply.band.label}: {reply.total} out of {def.maxTotal}
        </p>
        <p className="muted">
          A questionnaire is a snapshot, not a diagnosis. Your facilitators look at it with you, and it is most useful
          over time: you can see how it changes on your chart.
        </p>
      </section>
      <p data-testid="q-next">
        What comes next: {props.next ?? "the next questionnaire appears on your home screen when it is due."}{" "}
        <Link href="/my/questionnaires">See my questionnaires and chart</Link>
      </p>
      {reply.crisis.length > 0 && (
        <>
          <p className="muted">If things get hard before then, talk to your facilitators, or at any hour:</p>
          <ul className="muted">
            {reply.crisis.map((c) => (
              <li key={c.name}>
                {c.href ? <a href={c.href}>{c.name}</a> : c.name} — {c.contact}
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}

import { useEffect, useRef, useState } from "react";
import { Link, useRoute } from "wouter";
import type { AlertNotice } from "../../../shared/protocol/live.js";
import { announce } from "../live/announce.js";
import { sendCommand } from "../live/command.js";
import { clock } from "../time.js";
import { alertHeadline } from "./labels.js";
import { dismissNotice, listenForNotices, useNoticeBook, type Held } from "./notice-store.js";
import { beep, useWaiting } from "./sound.js";
import "./alerts.css";

/** Lines shown before the rest collapse into a count. */
const SHOWN = 3;

/** Where the alert is, in words: the session and its cohort. */
function where(n: AlertNotice): string {
  const title = n.sessionTitle.trim() === "" ? "a live session" : n.sessionTitle;
  return n.cohortName.trim() === "" ? title : `${title} (${n.cohortName})`;
}

/** How long it has gone unanswered, from its tier or reminder; a ratio alert says it at once. */
function waitedFor(n: AlertNotice): string {
  if (n.reminder > 0) return `No response for ${n.reminder + 1} min`;
  if (n.tier >= 2) return "No response for 60 s";
  if (n.tier === 1) return "No response for 15 s";
  return "Needs a facilitator now";
}

/** Where it stands, first, so a cut-off line still says the part that matters. */
function lead(n: AlertNotice): string {
  const by = n.answered?.by ?? "a facilitator";
  const at = clock(n.answered?.at ?? n.closedAt ?? n.raisedAt);
  switch (n.state) {
    case "waiting":
      return waitedFor(n);
    case "answered":
      return n.kind === "ratio" || n.kind === "break"
        ? `${by} responded at ${at}, open until resolved`
        : `Answered by ${by} at ${at}`;
    case "resolved":
      return `Resolved at ${clock(n.closedAt ?? n.raisedAt)}`;
    case "ended":
      return `Session ended at ${clock(n.closedAt ?? n.raisedAt)}`;
  }
}

/** What a questionnaire alert is about, in words: who, what they answered, which cohort [OUT2]. */
function questionnaireHeadline(n: AlertNotice): string {
  const who = n.about ?? "A participant";
  const what = n.kind === "selfharm" ? "reported thoughts of self-harm" : "raised an alert";
  return n.cohortName.trim() === ""
    ? `${who} ${what} on a questionnaire`
    : `${who} ${what} on a questionnaire (${n.cohortName})`;
}

/** The one sentence a notice says, the same on screen and through the live region. */
export function noticeSentence(n: AlertNotice): string {
  if (n.source === "questionnaire") return `${lead(n)}: ${questionnaireHeadline(n)}.`;
  return `${lead(n)}: ${alertHeadline(n.kind, n.about)} in ${where(n)}.`;
}

/** Where a notice's own page is: its session, or its cohort's questionnaires [OUT2]. */
export function noticeHref(n: AlertNotice): string {
  return n.sessionId === null
    ? `/cohort/${encodeURIComponent(n.cohortId)}/outcomes`
    : `/session/${encodeURIComponent(n.sessionId)}`;
}

/** Waiting first (longest unanswered first), then the ones saying how they ended. */
function order(a: Held, b: Held): number {
  const w = Number(b.notice.state === "waiting") - Number(a.notice.state === "waiting");
  return w || Date.parse(a.notice.raisedAt) - Date.parse(b.notice.raisedAt);
}

/**
 * [LIVE3][LIVE6] Escalations and ratio alerts for this staff person wherever they are in the app
 * (program admins included): one line each, naming the session and cohort, in the page's flow (it
 * pushes the page down, never covers it), and not shown on the page of the session it is about —
 * the alerts panel there says it all. Each notice follows its alert to the end (notice-store.ts).
 * A questionnaire's safety alert [OUT2] has no room to go to: its notice can be answered right
 * in the strip, and links to the cohort's outcomes page (which shows it in place of the strip).
 */
export function AlertNotices() {
  const book = useNoticeBook();
  const [all, setAll] = useState(false);
  const [, session] = useRoute("/session/:sessionId");
  const [, outcomes] = useRoute("/cohort/:cohortId/outcomes");
  const here =
    session !== null
      ? `/session/${encodeURIComponent(session.sessionId)}`
      : outcomes !== null
        ? `/cohort/${encodeURIComponent(outcomes.cohortId)}/outcomes`
        : null;
  // Read by the socket listener, registered once: on the alert's own page its panel speaks and chimes.
  const hereRef = useRef(here);
  useEffect(() => {
    hereRef.current = here;
  }, [here]);
  useEffect(
    () =>
      listenForNotices((n) => {
        if (noticeHref(n) === hereRef.current) return;
        const waiting = n.state === "waiting";
        if (waiting) beep(n.tier > 0 ? 1100 : 990);
        // Urgent news interrupts; how it ended waits for a pause. Each step once per tab.
        announce(
          noticeSentence(n),
          waiting ? "assertive" : "polite",
          `${n.alertId}:${n.state}:${n.tier}:${n.reminder}`,
        );
      }),
    [],
  );
  const held = [...book.held.values()].filter((h) => noticeHref(h.notice) !== here).sort(order);
  const waiting = held.filter((h) => h.notice.state === "waiting").length;
  useWaiting("notices", waiting > 0);
  if (held.length === 0) return null;
  const shown = all ? held : held.slice(0, SHOWN);
  return (
    <section className="notices" aria-label="Alerts in other sessions and questionnaires" data-testid="alert-notices">
      <ul>
        {shown.map(({ notice: n }) => (
          <li
            key={n.alertId}
            className={`notice ${n.state} ${n.source}`}
            data-testid={`notice-${n.alertId}`}
            data-tier={n.tier}
            data-state={n.state}
          >
            <span aria-hidden="true">{n.state === "waiting" ? "⚠" : "✓"}</span>
            <span className="notice-text" title={noticeSentence(n)}>
              {noticeSentence(n)}
            </span>
            {n.state === "waiting" && <span className="muted small">raised {clock(n.raisedAt)}</span>}
            <Link href={noticeHref(n)}>{n.sessionId === null ? "Go to the answers" : "Go to the session"}</Link>
            {n.source === "questionnaire" && n.state === "waiting" && <AckButton notice={n} />}
            {n.state !== "waiting" && (
              <button
                type="button"
                className="quiet small"
                onClick={() => {
                  dismissNotice(n.alertId);
                }}
              >
                Dismiss
              </button>
            )}
          </li>
        ))}
      </ul>
      {held.length > SHOWN && (
        <button
          type="button"
          className="quiet small"
          aria-expanded={all}
          onClick={() => {
            setAll(!all);
          }}
          data-testid="notices-more"
        >
          {all ? "Show fewer" : `Show ${held.length - SHOWN} more`}
        </button>
      )}
    </section>
  );
}

/**
 * [OUT2][LIVE6] "I'm on it" for a questionnaire alert, from wherever this person is. Sent until
 * the server answers (same id on every retry); the notice then turns to "Answered by …" when the
 * server pushes it, like every other way of answering.
 */
function AckButton(props: { notice: AlertNotice }) {
  const { notice: n } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="small primary"
        disabled={busy}
        aria-label={`I'm on it: ${n.about ?? "a participant"}'s questionnaire`}
        data-testid={`notice-ack-${n.alertId}`}
        onClick={() => {
          setBusy(true);
          setError(null);
          void sendCommand("outcome:ack", (id) => ({ id, cohortId: n.cohortId, alertId: n.alertId })).result.then(
            (r) => {
              setBusy(false);
              if (!r.ok) setError(r.error.message);
            },
          );
        }}
      >
        {busy ? "Sending…" : "I'm on it"}
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}

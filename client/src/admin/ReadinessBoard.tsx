import { useEffect, useMemo, useState } from "react";
import { z } from "zod";
import { firstDosingAt } from "../../../shared/domain/cohort.js";
import { readinessOf } from "../../../shared/domain/readiness.js";
import { LITHIUM_QUESTION, SCREENING_QUESTIONS, type ScreeningAnswers } from "../../../shared/domain/screening.js";
import { ProfileId, resolveProfile } from "../../../shared/profiles/index.js";
import { CohortOverview } from "../../../shared/protocol/admin-views.js";
import { dateTime } from "../time.js";
import { commandId, http } from "./http.js";
import { useCohortStream } from "./useCohortStream.js";
import "./readiness.css";

const Seq = z.object({ seq: z.number() });

/**
 * [RDY1] Each participant Ready, or exactly what is missing, in words. Live: computed in the
 * browser from the cohort's stream with the same readinessOf the server admits with, so it
 * changes in every open board the moment anything is recorded.
 */
export function ReadinessBoard(props: { cohortId: string; now?: number }) {
  const { cohortId } = props;
  const stream = useCohortStream(cohortId);
  const [overview, setOverview] = useState<CohortOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  // People's names come over HTTP; reload when the roster grows (an enrolment by link).
  const roster = stream.state.participants.length;
  useEffect(() => {
    let live = true;
    void http("GET", `/api/cohorts/${encodeURIComponent(cohortId)}`, CohortOverview).then((r) => {
      if (!live) return;
      if (r.ok) setOverview(r.data);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [cohortId, roster]);

  const profile = useMemo(() => {
    const id = ProfileId.safeParse(overview?.program.profile);
    return resolveProfile(id.success ? id.data : "oregon-2025");
  }, [overview]);
  const names = new Map((overview?.people ?? []).map((p) => [p.id, p.name]));
  const state = stream.state;
  const nowIso = new Date(props.now ?? Date.now()).toISOString();

  async function act(key: string, path: string, body: Record<string, unknown>): Promise<void> {
    setBusy(key);
    const r = await http("POST", path, Seq, { id: commandId(), ...body });
    setBusy(null);
    if (!r.ok) setError(r.error.message);
  }

  if (error && !stream.ready)
    return (
      <p className="form-error" role="alert">
        {error}
      </p>
    );
  if (!stream.ready)
    return (
      <p className="muted" role="status">
        Loading the readiness board…
      </p>
    );

  return (
    <section className="readiness" data-testid="readiness-board" aria-live="polite">
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {state.participants.length === 0 && <p className="muted">Nobody is enrolled yet.</p>}
      <ul className="ready-list">
        {state.participants.map((pid) => {
          const first = firstDosingAt(state, pid);
          const r = readinessOf(state, pid, profile, first);
          const record = state.records[pid];
          const needsReview = record?.screening && !record.review;
          const preps = state.schedule.filter(
            (s) =>
              s.kind === "preparation" &&
              s.participants.includes(pid) &&
              s.start <= nowIso &&
              !record?.preparations.some((p) => p.sessionId === s.id),
          );
          return (
            <li
              key={pid}
              className={r.ready ? "ready-row is-ready" : "ready-row"}
              data-testid={`ready-${pid}`}
              data-ready={r.ready ? "yes" : "no"}
            >
              <div className="ready-head">
                <strong className="name">{names.get(pid) ?? "Participant"}</strong>
                <span className={r.ready ? "ready-badge yes" : "ready-badge no"} data-testid={`ready-state-${pid}`}>
                  {r.ready ? "✓ Ready" : `Not ready · ${r.missing.length} missing`}
                </span>
              </div>
              {!r.ready && (
                <ul className="missing" data-testid={`missing-${pid}`}>
                  {r.missing.map((m) => (
                    <li
                      key={m.item + m.label}
                      data-item={m.item}
                      className={m.item === "hard_stop" ? "hard-stop" : undefined}
                    >
                      {m.item === "hard_stop" ? "⛔ " : "○ "}
                      {m.label}
                    </li>
                  ))}
                </ul>
              )}
              {record?.screening && <Answers answers={record.screening.answers} />}
              {r.flags.length > 0 && (
                <p className="flags" data-testid={`flags-${pid}`}>
                  Review flags: {r.flags.join("; ")}
                </p>
              )}
              <div className="staff-actions">
                {needsReview && (
                  <button
                    type="button"
                    disabled={busy !== null}
                    data-testid={`review-${pid}`}
                    onClick={() =>
                      void act(`review-${pid}`, `/api/cohorts/${encodeURIComponent(cohortId)}/reviews`, {
                        participantId: pid,
                      })
                    }
                  >
                    Mark screening reviewed
                  </button>
                )}
                {preps.map((s) => (
                  <button
                    key={s.id}
                    type="button"
                    disabled={busy !== null}
                    data-testid={`attended-${pid}`}
                    onClick={() =>
                      void act(`prep-${s.id}`, `/api/cohorts/${encodeURIComponent(cohortId)}/preparations`, {
                        participantId: pid,
                        sessionId: s.id,
                      })
                    }
                  >
                    Attended preparation ({dateTime(s.start, s.zone)})
                  </button>
                ))}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** [AC3] The answers themselves, for the reviewing facilitator only (this board is staff-only). */
function Answers(props: { answers: ScreeningAnswers }) {
  const yes = SCREENING_QUESTIONS.filter((q) => props.answers[q.key]);
  return (
    <details className="answers">
      <summary>Screening answers</summary>
      <ul>
        {yes.map((q) => (
          <li key={q.key}>Yes: {q.text}</li>
        ))}
        {props.answers.lithiumLastTaken && (
          <li>
            {LITHIUM_QUESTION} {props.answers.lithiumLastTaken}
          </li>
        )}
        {yes.length === 0 && !props.answers.lithiumLastTaken && <li>No to every question.</li>}
      </ul>
    </details>
  );
}

import { useCallback, useEffect, useState } from "react";
import { z } from "zod";
import { ScreeningAnswers } from "../../../shared/domain/screening.js";
import { TransportPlan } from "../../../shared/domain/cohort.js";
import type { Me } from "../api.js";
import { http } from "../admin/http.js";
import { ConsentForm, ScreeningForm, TransportForm } from "./ParticipantForms.js";
import "./forms.css";
import { PageHeading } from "../PageHeading.js";

const MyRecord = z.object({
  screening: z.object({ answers: ScreeningAnswers, submittedAt: z.string() }).nullable(),
  reviewed: z.boolean(),
  consent: z.object({ version: z.string(), recordedAt: z.string() }).nullable(),
  transport: TransportPlan.extend({ recordedAt: z.string() }).nullable(),
  missing: z.array(z.string()),
});
type MyRecord = z.infer<typeof MyRecord>;

/** /my/forms — a participant's screening, consent and ride home, one step at a time. */
export function MyForms(props: { me: Me }) {
  const cohort = props.me.cohorts[0];
  if (!cohort)
    return (
      <main className="page dim">
        <p>You are not enrolled in a cohort yet.</p>
      </main>
    );
  return <CohortForms cohortId={cohort.id} cohortName={cohort.name} />;
}

function CohortForms(props: { cohortId: string; cohortName: string }) {
  const [record, setRecord] = useState<MyRecord | null>(null);
  const [open, setOpen] = useState<"screening" | "consent" | "transport" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    const r = await http("GET", `/api/cohorts/${encodeURIComponent(props.cohortId)}/my-record`, MyRecord);
    if (r.ok) {
      setRecord(r.data);
      setOpen(
        (o) =>
          o ??
          (r.data.missing.includes("screening")
            ? "screening"
            : r.data.missing.includes("consent")
              ? "consent"
              : r.data.missing.includes("transport")
                ? "transport"
                : null),
      );
    } else setError(r.error.message);
  }, [props.cohortId]);
  useEffect(() => {
    void load();
  }, [load]);
  const done = () => {
    setOpen(null);
    void load();
  };

  if (error)
    return (
      <main className="page dim">
        <p className="form-error" role="alert">
          {error}
        </p>
      </main>
    );
  if (!record)
    return (
      <main className="page dim">
        <p className="muted" role="status">
          Loading your forms…
        </p>
      </main>
    );
  const step = (key: "screening" | "consent" | "transport", title: string, status: string, isDone: boolean) => (
    <li className={isDone ? "step done" : "step"} data-testid={`step-${key}`} data-done={isDone ? "yes" : "no"}>
      <div className="step-head">
        <span aria-hidden="true">{isDone ? "✓" : "○"}</span>
        <h2>{title}</h2>
        <span className="muted">{status}</span>
        <button
          type="button"
          className="quiet"
          aria-expanded={open === key}
          onClick={() => setOpen(open === key ? null : key)}
          data-testid={`open-${key}`}
        >
          {open === key ? "Hide" : isDone ? "Change" : "Fill in"}
        </button>
      </div>
      {open === key && key === "screening" && (
        <ScreeningForm cohortId={props.cohortId} initial={record.screening?.answers ?? null} onDone={done} />
      )}
      {open === key && key === "consent" && <ConsentForm cohortId={props.cohortId} onDone={done} />}
      {open === key && key === "transport" && (
        <TransportForm cohortId={props.cohortId} initial={record.transport} onDone={done} />
      )}
    </li>
  );
  return (
    <main className="page dim" data-testid="my-forms">
      <PageHeading title="My forms">Before your sessions</PageHeading>
      <p className="muted">{props.cohortName}. Your answers are seen only by you and your facilitators.</p>
      <ol className="steps">
        {step(
          "screening",
          "Health questions",
          record.screening
            ? record.reviewed
              ? "Sent and reviewed"
              : "Sent — a facilitator will review it"
            : "Not sent yet",
          record.screening !== null,
        )}
        {step("consent", "Informed consent", record.consent ? "Given" : "Not given yet", record.consent !== null)}
        {step(
          "transport",
          "Your ride home",
          record.transport ? `${record.transport.driver}` : "Not planned yet",
          record.transport !== null,
        )}
      </ol>
    </main>
  );
}

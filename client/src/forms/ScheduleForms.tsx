import { useState } from "react";
import { z } from "zod";
import { SeriesSchedule, SessionCancel, SessionSchedule, SessionUpdate } from "../../../shared/protocol/admin.js";
import type { Person, ScheduleItem } from "../../../shared/protocol/admin-views.js";
import { toLocal } from "../../../shared/scheduling/time.js";
import { commandId, http } from "../admin/http.js";
import { Field, FormError, InputField, useFormErrors } from "./kit.js";
import "./forms.css";

const Reply = z.object({ seq: z.number() });

function People(props: {
  id: string;
  label: string;
  people: Person[];
  chosen: string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
}) {
  return (
    <fieldset className="people-pick" aria-describedby={props.error ? `${props.id}-error` : undefined}>
      <legend>{props.label}</legend>
      {props.people.length === 0 && <span className="muted small">Nobody yet.</span>}
      {props.people.map((p) => (
        <label key={p.id} className="check">
          <input
            type="checkbox"
            checked={props.chosen.includes(p.id)}
            onChange={(e) =>
              props.onChange(e.target.checked ? [...props.chosen, p.id] : props.chosen.filter((x) => x !== p.id))
            }
            data-testid={`${props.id}-${p.id}`}
          />
          {p.name}
        </label>
      ))}
      {props.error && (
        <span className="field-error" id={`${props.id}-error`} data-testid={`${props.id}-error`}>
          {props.error}
        </span>
      )}
    </fieldset>
  );
}

/** Both schedule forms pick facilitators and participants the same way; `prefix` names their ids. */
function PeoplePicks(props: {
  prefix: "session" | "series";
  facilitators: Person[];
  participants: Person[];
  form: ReturnType<typeof useScheduleForm>;
}) {
  const { facs, setFacs, parts, setParts, errors } = props.form;
  return (
    <>
      <People
        id={`${props.prefix}-facilitators`}
        label="Facilitators"
        people={props.facilitators}
        chosen={facs}
        onChange={setFacs}
        error={errors.fields.facilitators}
      />
      <People
        id={`${props.prefix}-participants`}
        label="Participants"
        people={props.participants}
        chosen={parts}
        onChange={setParts}
        error={errors.fields.participants}
      />
    </>
  );
}

interface Props {
  cohortId: string;
  zone: string;
  facilitators: Person[];
  participants: Person[];
  onDone: () => void;
}

type Path = "sessions" | "series" | "session-changes" | "cancellations";

/**
 * What both schedule forms share: the people picked, errors by field, and the submit path —
 * parse with the shared schema, post it, then done or the server's errors next to their fields.
 */
function useScheduleForm(props: Props, initial?: ScheduleItem) {
  const [facs, setFacs] = useState<string[]>(initial?.facilitators ?? []);
  const [parts, setParts] = useState<string[]>(initial?.participants ?? []);
  const errors = useFormErrors();
  const post = <T, R>(
    path: Path,
    reply: z.ZodType<R>,
    parse: () => z.ZodSafeParseResult<T>,
    done: (r: R) => void = () => props.onDone(),
  ) =>
    errors.submit(
      parse,
      (data) => http("POST", `/api/admin/cohorts/${encodeURIComponent(props.cohortId)}/${path}`, reply, data),
      done,
    );
  return { facs, setFacs, parts, setParts, errors, post };
}

/**
 * [SCH1]–[SCH8] One session; times are wall-clock in the program's zone. With `editing`, the same
 * form edits or reschedules that session (same checks) and offers to cancel it.
 */
export function SessionForm(props: Props & { editing?: ScheduleItem }) {
  const editing = props.editing;
  const local = (iso: string | undefined) => (iso ? toLocal(iso, props.zone) : "");
  const [kind, setKind] = useState<"preparation" | "dosing" | "circle">(editing?.kind ?? "circle");
  const [title, setTitle] = useState(editing?.title ?? "");
  const [start, setStart] = useState(local(editing?.start));
  const [end, setEnd] = useState(local(editing?.end));
  const [dose, setDose] = useState(editing?.plannedDoseMg == null ? "" : String(editing.plannedDoseMg));
  const form = useScheduleForm(props, editing);
  const { facs, parts, errors, post } = form;
  const plannedDoseMg = kind === "dosing" ? (dose.trim() === "" ? null : Number(dose)) : null;
  const plan = { title, start, end, facilitators: facs, participants: parts, plannedDoseMg };
  const submit = editing
    ? post("session-changes", Reply, () =>
        SessionUpdate.safeParse({ id: commandId(), sessionId: editing.id, sequence: editing.sequence, ...plan }),
      )
    : post("sessions", Reply, () => SessionSchedule.safeParse({ id: commandId(), kind, ...plan }));
  return (
    <form
      className="stack"
      onSubmit={(e) => void submit(e)}
      noValidate
      data-testid={editing ? "session-edit-form" : "session-form"}
      aria-label={editing ? `Change ${editing.title}` : "Schedule a session"}
    >
      <Field id="session-kind" label="Kind" error={errors.fields.kind}>
        {(a) => (
          <select
            {...a}
            disabled={editing !== undefined}
            value={kind}
            onChange={(e) => setKind(z.enum(["preparation", "dosing", "circle"]).catch("circle").parse(e.target.value))}
            data-testid="session-kind"
          >
            <option value="preparation">Preparation (individual)</option>
            <option value="dosing">Group dosing</option>
            <option value="circle">Integration circle</option>
          </select>
        )}
      </Field>
      <InputField
        id="session-title"
        label="Title (optional)"
        error={errors.fields.title}
        value={title}
        onValue={setTitle}
      />
      <div className="row">
        <InputField
          id="session-start"
          label={`Starts (${props.zone})`}
          error={errors.fields.start}
          value={start}
          onValue={(v) => {
            setStart(v);
            errors.touch("start");
          }}
          testId="session-start"
          attrs={{ type: "datetime-local" }}
        />
        <InputField
          id="session-end"
          label={`Ends (${props.zone})`}
          error={errors.fields.end}
          value={end}
          onValue={(v) => {
            setEnd(v);
            errors.touch("end");
          }}
          testId="session-end"
          attrs={{ type: "datetime-local" }}
        />
      </div>
      {kind === "dosing" && (
        <InputField
          id="session-dose"
          label="Highest planned dose (mg psilocybin)"
          error={errors.fields.plannedDoseMg}
          value={dose}
          onValue={setDose}
          testId="session-dose"
          attrs={{ inputMode: "decimal" }}
        />
      )}
      <PeoplePicks prefix="session" facilitators={props.facilitators} participants={props.participants} form={form} />
      <FormError message={errors.form} testId="session-form-error" />
      <div className="staff-actions">
        <button type="submit" className="primary" data-testid="session-submit">
          {editing ? "Save changes" : "Schedule session"}
        </button>
        {editing && (
          <button type="button" onClick={props.onDone}>
            Close without saving
          </button>
        )}
      </div>
      {editing && <CancelSession cohortId={props.cohortId} session={editing} onDone={props.onDone} />}
    </form>
  );
}

/** Cancelling asks first: one stray click must not take a dosing day off everyone's calendar. */
function CancelSession(props: { cohortId: string; session: ScheduleItem; onDone: () => void }) {
  const [asking, setAsking] = useState(false);
  const errors = useFormErrors();
  const cancel = async (): Promise<void> => {
    errors.clear();
    const data = SessionCancel.parse({
      id: commandId(),
      sessionId: props.session.id,
      sequence: props.session.sequence,
    });
    const r = await http("POST", `/api/admin/cohorts/${encodeURIComponent(props.cohortId)}/cancellations`, Reply, data);
    if (r.ok) props.onDone();
    else errors.fromServer(r.error);
  };
  if (!asking)
    return (
      <button type="button" className="danger" onClick={() => setAsking(true)}>
        Cancel this session…
      </button>
    );
  return (
    <div className="card confirm" role="group" aria-label="Confirm cancellation">
      <p>
        Cancel “{props.session.title}”? Everyone’s calendar feed will mark it cancelled. Its history stays in the
        cohort’s record.
      </p>
      <FormError message={errors.form} testId="cancel-error" />
      <div className="staff-actions">
        <button type="button" className="danger" onClick={() => void cancel()}>
          Yes, cancel the session
        </button>
        <button type="button" onClick={() => setAsking(false)}>
          Keep it
        </button>
      </div>
    </div>
  );
}

/** [SCH2] A weekly or every-N-weeks integration circle series; it must have an end date. */
export function SeriesForm(props: Props & { onCreated: (summary: string) => void }) {
  const [title, setTitle] = useState("");
  const [firstDate, setFirstDate] = useState("");
  const [time, setTime] = useState("18:00");
  const [minutes, setMinutes] = useState("90");
  const [every, setEvery] = useState("1");
  const [until, setUntil] = useState("");
  const form = useScheduleForm(props);
  const { facs, parts, errors, post } = form;
  const reply = z.object({ seq: z.number(), sessions: z.number(), summary: z.string() });
  const submit = post(
    "series",
    reply,
    () =>
      SeriesSchedule.safeParse({
        id: commandId(),
        kind: "circle",
        title,
        firstDate,
        time,
        durationMinutes: Number(minutes),
        everyWeeks: Number(every),
        until: until || undefined,
        facilitators: facs,
        participants: parts,
      }),
    (r) => props.onCreated(r.summary),
  );
  return (
    <form className="stack" onSubmit={(e) => void submit(e)} noValidate data-testid="series-form">
      <InputField
        id="series-title"
        label="Title (optional)"
        error={errors.fields.title}
        value={title}
        onValue={setTitle}
        testId="series-title"
      />
      <div className="row">
        <InputField
          id="series-first"
          label="First date"
          error={errors.fields.firstDate}
          value={firstDate}
          onValue={setFirstDate}
          testId="series-first"
          attrs={{ type: "date" }}
        />
        <InputField
          id="series-time"
          label={`Time (${props.zone})`}
          error={errors.fields.time}
          value={time}
          onValue={setTime}
          testId="series-time"
          attrs={{ type: "time" }}
        />
        <InputField
          id="series-minutes"
          label="Minutes"
          error={errors.fields.durationMinutes}
          value={minutes}
          onValue={setMinutes}
          attrs={{ inputMode: "numeric" }}
        />
      </div>
      <div className="row">
        <InputField
          id="series-every"
          label="Every … weeks"
          error={errors.fields.everyWeeks}
          value={every}
          onValue={setEvery}
          testId="series-every"
          attrs={{ inputMode: "numeric" }}
        />
        <InputField
          id="series-until"
          label="Last date"
          error={errors.fields.until}
          value={until}
          onValue={setUntil}
          testId="series-until"
          attrs={{ type: "date" }}
        />
      </div>
      <PeoplePicks prefix="series" facilitators={props.facilitators} participants={props.participants} form={form} />
      <FormError message={errors.form} testId="series-form-error" />
      <button type="submit" className="primary" data-testid="series-submit">
        Schedule weekly circles
      </button>
    </form>
  );
}

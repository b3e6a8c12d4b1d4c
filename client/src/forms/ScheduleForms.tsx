import { useState, type SubmitEvent } from "react";
import { z } from "zod";
import { SeriesSchedule, SessionSchedule } from "../../../shared/protocol/admin.js";
import type { Person } from "../../../shared/protocol/admin-views.js";
import { commandId, http } from "../admin/http.js";
import { Field, FormError, useFormErrors } from "./kit.js";
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

interface Props {
  cohortId: string;
  zone: string;
  facilitators: Person[];
  participants: Person[];
  onDone: () => void;
}

/**
 * What both schedule forms share: the people picked, errors by field, and the submit path —
 * parse with the shared schema, post it, then done or the server's errors next to their fields.
 */
function useScheduleForm(props: Props) {
  const [facs, setFacs] = useState<string[]>([]);
  const [parts, setParts] = useState<string[]>([]);
  const errors = useFormErrors();
  const post =
    <T, R>(path: "sessions" | "series", reply: z.ZodType<R>, parse: () => z.ZodSafeParseResult<T>) =>
    async (e: SubmitEvent<HTMLFormElement>): Promise<void> => {
      e.preventDefault();
      errors.clear();
      const parsed = parse();
      if (!parsed.success) return errors.fromZod(parsed.error);
      const r = await http(
        "POST",
        `/api/admin/cohorts/${encodeURIComponent(props.cohortId)}/${path}`,
        reply,
        parsed.data,
      );
      if (r.ok) props.onDone();
      else errors.fromServer(r.error);
    };
  return { facs, setFacs, parts, setParts, errors, post };
}

/** [SCH1]–[SCH8] One session; times are wall-clock in the program's zone. */
export function SessionForm(props: Props) {
  const [kind, setKind] = useState<"preparation" | "dosing" | "circle">("circle");
  const [title, setTitle] = useState("");
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [dose, setDose] = useState("");
  const { facs, setFacs, parts, setParts, errors, post } = useScheduleForm(props);
  const submit = post("sessions", Reply, () =>
    SessionSchedule.safeParse({
      id: commandId(),
      kind,
      title,
      start,
      end,
      facilitators: facs,
      participants: parts,
      plannedDoseMg: kind === "dosing" ? (dose.trim() === "" ? null : Number(dose)) : null,
    }),
  );
  return (
    <form className="stack" onSubmit={(e) => void submit(e)} noValidate data-testid="session-form">
      <Field id="session-kind" label="Kind" error={errors.fields.kind}>
        {(a) => (
          <select
            {...a}
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
      <Field id="session-title" label="Title (optional)" error={errors.fields.title}>
        {(a) => <input {...a} value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <div className="row">
        <Field id="session-start" label={`Starts (${props.zone})`} error={errors.fields.start}>
          {(a) => (
            <input
              {...a}
              type="datetime-local"
              value={start}
              onChange={(e) => setStart(e.target.value)}
              data-testid="session-start"
            />
          )}
        </Field>
        <Field id="session-end" label={`Ends (${props.zone})`} error={errors.fields.end}>
          {(a) => (
            <input
              {...a}
              type="datetime-local"
              value={end}
              onChange={(e) => setEnd(e.target.value)}
              data-testid="session-end"
            />
          )}
        </Field>
      </div>
      {kind === "dosing" && (
        <Field id="session-dose" label="Highest planned dose (mg psilocybin)" error={errors.fields.plannedDoseMg}>
          {(a) => (
            <input
              {...a}
              inputMode="decimal"
              value={dose}
              onChange={(e) => setDose(e.target.value)}
              data-testid="session-dose"
            />
          )}
        </Field>
      )}
      <People
        id="session-facilitators"
        label="Facilitators"
        people={props.facilitators}
        chosen={facs}
        onChange={setFacs}
        error={errors.fields.facilitators}
      />
      <People
        id="session-participants"
        label="Participants"
        people={props.participants}
        chosen={parts}
        onChange={setParts}
        error={errors.fields.participants}
      />
      <FormError message={errors.form} testId="session-form-error" />
      <button type="submit" className="primary" data-testid="session-submit">
        Schedule session
      </button>
    </form>
  );
}

/** [SCH2] A weekly or every-N-weeks integration circle series; it must have an end date. */
export function SeriesForm(props: Props) {
  const [title, setTitle] = useState("");
  const [firstDate, setFirstDate] = useState("");
  const [time, setTime] = useState("18:00");
  const [minutes, setMinutes] = useState("90");
  const [every, setEvery] = useState("1");
  const [until, setUntil] = useState("");
  const { facs, setFacs, parts, setParts, errors, post } = useScheduleForm(props);
  const submit = post("series", z.object({ seq: z.number(), sessions: z.number() }), () =>
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
  );
  return (
    <form className="stack" onSubmit={(e) => void submit(e)} noValidate data-testid="series-form">
      <Field id="series-title" label="Title (optional)" error={errors.fields.title}>
        {(a) => <input {...a} value={title} onChange={(e) => setTitle(e.target.value)} data-testid="series-title" />}
      </Field>
      <div className="row">
        <Field id="series-first" label="First date" error={errors.fields.firstDate}>
          {(a) => (
            <input
              {...a}
              type="date"
              value={firstDate}
              onChange={(e) => setFirstDate(e.target.value)}
              data-testid="series-first"
            />
          )}
        </Field>
        <Field id="series-time" label={`Time (${props.zone})`} error={errors.fields.time}>
          {(a) => (
            <input
              {...a}
              type="time"
              value={time}
              onChange={(e) => setTime(e.target.value)}
              data-testid="series-time"
            />
          )}
        </Field>
        <Field id="series-minutes" label="Minutes" error={errors.fields.durationMinutes}>
          {(a) => <input {...a} inputMode="numeric" value={minutes} onChange={(e) => setMinutes(e.target.value)} />}
        </Field>
      </div>
      <div className="row">
        <Field id="series-every" label="Every … weeks" error={errors.fields.everyWeeks}>
          {(a) => (
            <input
              {...a}
              inputMode="numeric"
              value={every}
              onChange={(e) => setEvery(e.target.value)}
              data-testid="series-every"
            />
          )}
        </Field>
        <Field id="series-until" label="Last date" error={errors.fields.until}>
          {(a) => (
            <input
              {...a}
              type="date"
              value={until}
              onChange={(e) => setUntil(e.target.value)}
              data-testid="series-until"
            />
          )}
        </Field>
      </div>
      <People
        id="series-facilitators"
        label="Facilitators"
        people={props.facilitators}
        chosen={facs}
        onChange={setFacs}
        error={errors.fields.facilitators}
      />
      <People
        id="series-participants"
        label="Participants"
        people={props.participants}
        chosen={parts}
        onChange={setParts}
        error={errors.fields.participants}
      />
      <FormError message={errors.form} testId="series-form-error" />
      <button type="submit" className="primary" data-testid="series-submit">
        Schedule weekly circles
      </button>
    </form>
  );
}

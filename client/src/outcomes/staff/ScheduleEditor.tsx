import { useState } from "react";
import { z } from "zod";
import { Instrument } from "../../../../shared/outcomes/instruments.js";
import type { AssessmentSchedule } from "../../../../shared/outcomes/schedule.js";
import { definitionOf } from "../../../../shared/outcomes/score.js";
import { ScheduleSetBody } from "../../../../shared/protocol/outcomes.js";
import { commandId, http } from "../../admin/http.js";
import { Field, FormError, useFormErrors } from "../../forms/kit.js";

interface Row {
  /** The visit's id: kept for a visit that exists (answers name it), made on save for a new one. */
  id: string | null;
  label: string;
  /** "" for the baseline. */
  day: string;
}

const Reply = z.object({ seq: z.number() });

function rowsOf(s: AssessmentSchedule): Row[] {
  return s.visits.map((v) => ({ id: v.id, label: v.label, day: v.day === null ? "" : String(v.day) }));
}

/** A new visit's id from its day, unique among the others: "baseline", "day-10", "day-10-2". */
function newId(day: number | null, taken: Set<string>): string {
  const base = day === null ? "baseline" : `day-${day}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

function toSchedule(rows: readonly Row[], instruments: readonly Instrument[], windowDays: string) {
  const taken = new Set(rows.flatMap((r) => (r.id === null ? [] : [r.id])));
  const visits = rows.map((r) => {
    const day = r.day.trim() === "" ? null : Number(r.day);
    const id = r.id ?? newId(day, taken);
    taken.add(id);
    return { id, label: r.label, day };
  });
  return { visits, instruments: [...instruments], windowDays: Number(windowDays) };
}

/**
 * [OUT5] Admins edit the cohort's assessment schedule: visits (a label and the day after the first
 * dosing; an empty day is the baseline), which questionnaires, and how many days each visit is
 * due before it is overdue. Parsed with the server's schema first, errors shown by the field.
 */
export function ScheduleEditor(props: { cohortId: string; schedule: AssessmentSchedule; onDone: () => void }) {
  const [rows, setRows] = useState<Row[]>(() => rowsOf(props.schedule));
  const [instruments, setInstruments] = useState<Instrument[]>(props.schedule.instruments);
  const [windowDays, setWindowDays] = useState(String(props.schedule.windowDays));
  const errors = useFormErrors();
  const err = (key: string) => errors.fields[key];

  const setRow = (i: number, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const onSubmit = errors.submit(
    () => ScheduleSetBody.safeParse({ id: commandId(), schedule: toSchedule(rows, instruments, windowDays) }),
    (body) => http("PUT", `/api/admin/cohorts/${encodeURIComponent(props.cohortId)}/assessment-schedule`, Reply, body),
    () => props.onDone(),
  );

  return (
    <form className="schedule-editor" onSubmit={(e) => void onSubmit(e)} data-testid="schedule-editor" noValidate>
      <fieldset>
        <legend>Visits</legend>
        <p className="muted small">Day is counted from the first dosing day. Leave it empty for the baseline.</p>
        {err("schedule.visits") && <p className="field-error">{err("schedule.visits")}</p>}
        <ol className="visit-rows">
          {rows.map((r, i) => (
            <li key={i} className="visit-row">
              <Field id={`visit-${i}-label`} label={`Visit ${i + 1} name`} error={err(`schedule.visits.${i}.label`)}>
                {(a) => (
                  <input
                    {...a}
                    value={r.label}
                    onChange={(e) => setRow(i, { label: e.target.value })}
                    data-testid={`visit-${i}-label`}
                  />
                )}
              </Field>
              <Field id={`visit-${i}-day`} label="Day" error={err(`schedule.visits.${i}.day`)}>
                {(a) => (
                  <input
                    {...a}
                    inputMode="numeric"
                    className="day-input"
                    value={r.day}
                    placeholder="baseline"
                    onChange={(e) => setRow(i, { day: e.target.value })}
                    data-testid={`visit-${i}-day`}
                  />
                )}
              </Field>
              <button
                type="button"
                className="quiet small"
                aria-label={`Remove ${r.label || `visit ${i + 1}`}`}
                onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}
              >
                Remove
              </button>
            </li>
          ))}
        </ol>
        <button
          type="button"
          className="small"
          onClick={() => setRows((rs) => [...rs, { id: null, label: "", day: "" }])}
          data-testid="visit-add"
        >
          Add a visit
        </button>
      </fieldset>
      <fieldset>
        <legend>Questionnaires</legend>
        {Instrument.options.map((ins) => (
          <label key={ins} className="check">
            <input
              type="checkbox"
              checked={instruments.includes(ins)}
              onChange={(e) =>
                setInstruments((xs) =>
                  e.target.checked
                    ? Instrument.options.filter((o) => o === ins || xs.includes(o))
                    : xs.filter((x) => x !== ins),
                )
              }
              data-testid={`instrument-${ins}`}
            />{" "}
            {definitionOf(ins).title}
          </label>
        ))}
        {err("schedule.instruments") && <p className="field-error">{err("schedule.instruments")}</p>}
      </fieldset>
      <Field id="window-days" label="Days each visit is due before it is overdue" error={err("schedule.windowDays")}>
        {(a) => (
          <input
            {...a}
            inputMode="numeric"
            className="day-input"
            value={windowDays}
            onChange={(e) => setWindowDays(e.target.value)}
            data-testid="window-days"
          />
        )}
      </Field>
      <FormError message={errors.form} testId="schedule-editor-error" />
      <div className="toolbar">
        <button type="submit" className="primary" data-testid="schedule-save">
          Save the schedule
        </button>
        <button type="button" className="quiet" onClick={props.onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

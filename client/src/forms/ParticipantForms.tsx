import { useState } from "react";
import { z } from "zod";
import { ConsentRecord, ScreeningSubmit, TransportRecord } from "../../../shared/protocol/admin.js";
import {
  LITHIUM_QUESTION,
  SCREENING_QUESTIONS,
  type ScreeningAnswers,
  type YesNoQuestion,
} from "../../../shared/domain/screening.js";
import { commandId, http } from "../admin/http.js";
import { Field, FormError, InputField, YesNo, useFormErrors } from "./kit.js";
import "./forms.css";

const Reply = z.object({ seq: z.number() });
const post = (cohortId: string, what: string, body: unknown) =>
  http("POST", `/api/cohorts/${encodeURIComponent(cohortId)}/${what}`, Reply, body);

/** [RDY2][RDY3] The screening questions in plain words; every one needs an answer. */
export function ScreeningForm(props: { cohortId: string; initial: ScreeningAnswers | null; onDone: () => void }) {
  const [answers, setAnswers] = useState<Partial<Record<YesNoQuestion, boolean>>>(props.initial ?? {});
  const [tookLithium, setTookLithium] = useState<boolean | null>(
    props.initial ? props.initial.lithiumLastTaken !== null : null,
  );
  const [lithiumDate, setLithiumDate] = useState(props.initial?.lithiumLastTaken ?? "");
  const errors = useFormErrors();
  const submit = errors.submit(
    () =>
      ScreeningSubmit.safeParse({
        id: commandId(),
        answers: { ...answers, lithiumLastTaken: tookLithium ? lithiumDate : null },
      }),
    (data) => post(props.cohortId, "screening", data),
    props.onDone,
  );
  return (
    <form className="stack big-form" onSubmit={(e) => void submit(e)} noValidate data-testid="screening-form">
      {SCREENING_QUESTIONS.map((q) => (
        <fieldset
          key={q.key}
          className="yesno"
          aria-describedby={errors.fields[`answers.${q.key}`] ? `q-${q.key}-error` : undefined}
        >
          <legend>{q.text}</legend>
          <YesNo
            name={q.key}
            value={answers[q.key]}
            onChange={(v) => {
              setAnswers((a) => ({ ...a, [q.key]: v }));
              errors.touch(`answers.${q.key}`);
            }}
            testId={`q-${q.key}`}
          />
          {errors.fields[`answers.${q.key}`] && (
            <span className="field-error" id={`q-${q.key}-error`} data-testid={`q-${q.key}-error`}>
              {errors.fields[`answers.${q.key}`]}
            </span>
          )}
        </fieldset>
      ))}
      <fieldset className="yesno">
        <legend>Have you ever taken lithium?</legend>
        <YesNo name="lithium" value={tookLithium} onChange={setTookLithium} testId="q-lithium" />
        {tookLithium && (
          <InputField
            id="q-lithium-date"
            label={LITHIUM_QUESTION}
            error={errors.fields["answers.lithiumLastTaken"]}
            value={lithiumDate}
            onValue={setLithiumDate}
            attrs={{ type: "date" }}
          />
        )}
      </fieldset>
      <FormError message={errors.form} testId="screening-form-error" />
      <button type="submit" className="primary big" data-testid="screening-submit">
        Send my answers
      </button>
    </form>
  );
}

/** Informed consent: the participant reads and ticks; the version they agreed to is recorded. */
export function ConsentForm(props: { cohortId: string; onDone: () => void }) {
  const [agreed, setAgreed] = useState(false);
  const errors = useFormErrors();
  const submit = errors.submit(
    () => ConsentRecord.safeParse({ id: commandId(), agreed }),
    (data) => post(props.cohortId, "consent", data),
    props.onDone,
  );
  return (
    <form className="stack big-form" onSubmit={(e) => void submit(e)} noValidate data-testid="consent-form">
      <div className="consent-text">
        <p>
          I understand that psilocybin can cause strong changes in perception, mood and thinking for several hours, and
          that I will stay with the facilitators until the session ends and I am released to the person taking me home.
        </p>
        <p>
          I have told the program about my health and my medicines truthfully. I can ask questions at any time and I can
          withdraw from the program whenever I choose.
        </p>
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={agreed}
          onChange={(e) => setAgreed(e.target.checked)}
          aria-invalid={errors.fields.agreed ? true : undefined}
          aria-describedby={errors.fields.agreed ? "consent-agreed-error" : undefined}
          data-testid="consent-agree"
        />
        I have read this and I give my informed consent.
      </label>
      {errors.fields.agreed && (
        <span className="field-error" id="consent-agreed-error" data-testid="consent-agreed-error">
          {errors.fields.agreed}
        </span>
      )}
      <FormError message={errors.form} testId="consent-form-error" />
      <button type="submit" className="primary big" data-testid="consent-submit">
        Record my consent
      </button>
    </form>
  );
}

/** [LIVE10] Who takes the participant home after a dosing session. */
export function TransportForm(props: {
  cohortId: string;
  initial: { driver: string; contact: string; notes: string } | null;
  onDone: () => void;
}) {
  const [driver, setDriver] = useState(props.initial?.driver ?? "");
  const [contact, setContact] = useState(props.initial?.contact ?? "");
  const [notes, setNotes] = useState(props.initial?.notes ?? "");
  const errors = useFormErrors();
  const submit = errors.submit(
    () => TransportRecord.safeParse({ id: commandId(), driver, contact, notes }),
    (data) => post(props.cohortId, "transport", data),
    props.onDone,
  );
  return (
    <form className="stack big-form" onSubmit={(e) => void submit(e)} noValidate data-testid="transport-form">
      <InputField
        id="transport-driver"
        label="Who will take you home?"
        error={errors.fields.driver}
        value={driver}
        onValue={setDriver}
        testId="transport-driver"
      />
      <InputField
        id="transport-contact"
        label="How can we reach them? (phone)"
        error={errors.fields.contact}
        value={contact}
        onValue={setContact}
        testId="transport-contact"
        attrs={{ inputMode: "tel" }}
      />
      <Field id="transport-notes" label="Anything else we should know (optional)" error={errors.fields.notes}>
        {(a) => <textarea {...a} rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />}
      </Field>
      <FormError message={errors.form} testId="transport-form-error" />
      <button type="submit" className="primary big" data-testid="transport-submit">
        Save my ride home
      </button>
    </form>
  );
}

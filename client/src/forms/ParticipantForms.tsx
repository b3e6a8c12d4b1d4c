import { useState, type SubmitEvent } from "react";
import { z } from "zod";
import { ConsentRecord, ScreeningSubmit, TransportRecord } from "../../../shared/protocol/admin.js";
import {
  LITHIUM_QUESTION,
  SCREENING_QUESTIONS,
  type ScreeningAnswers,
  type YesNoQuestion,
} from "../../../shared/domain/screening.js";
import { commandId, http } from "../admin/http.js";
import { Field, FormError, useFormErrors } from "./kit.js";
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
  async function submit(e: SubmitEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    errors.clear();
    const parsed = ScreeningSubmit.safeParse({
      id: commandId(),
      answers: { ...answers, lithiumLastTaken: tookLithium ? lithiumDate : null },
    });
    if (!parsed.success) return errors.fromZod(parsed.error);
    const r = await post(props.cohortId, "screening", parsed.data);
    if (r.ok) props.onDone();
    else errors.fromServer(r.error);
  }
  return (
    <form className="stack big-form" onSubmit={(e) => void submit(e)} noValidate data-testid="screening-form">
      {SCREENING_QUESTIONS.map((q) => (
        <fieldset
          key={q.key}
          className="yesno"
          aria-describedby={errors.fields[`answers.${q.key}`] ? `q-${q.key}-error` : undefined}
        >
          <legend>{q.text}</legend>
          <label className="check">
            <input
              type="radio"
              name={q.key}
              checked={answers[q.key] === true}
              onChange={() => {
                setAnswers((a) => ({ ...a, [q.key]: true }));
                errors.touch(`answers.${q.key}`);
              }}
              data-testid={`q-${q.key}-yes`}
            />{" "}
            Yes
          </label>
          <label className="check">
            <input
              type="radio"
              name={q.key}
              checked={answers[q.key] === false}
              onChange={() => {
                setAnswers((a) => ({ ...a, [q.key]: false }));
                errors.touch(`answers.${q.key}`);
              }}
              data-testid={`q-${q.key}-no`}
            />{" "}
            No
          </label>
          {errors.fields[`answers.${q.key}`] && (
            <span className="field-error" id={`q-${q.key}-error`} data-testid={`q-${q.key}-error`}>
              {errors.fields[`answers.${q.key}`]}
            </span>
          )}
        </fieldset>
      ))}
      <fieldset className="yesno">
        <legend>Have you ever taken lithium?</legend>
        <label className="check">
          <input
            type="radio"
            name="lithium"
            checked={tookLithium === true}
            onChange={() => setTookLithium(true)}
            data-testid="q-lithium-yes"
          />{" "}
          Yes
        </label>
        <label className="check">
          <input
            type="radio"
            name="lithium"
            checked={tookLithium === false}
            onChange={() => setTookLithium(false)}
            data-testid="q-lithium-no"
          />{" "}
          No
        </label>
        {tookLithium && (
          <Field id="q-lithium-date" label={LITHIUM_QUESTION} error={errors.fields["answers.lithiumLastTaken"]}>
            {(a) => <input {...a} type="date" value={lithiumDate} onChange={(e) => setLithiumDate(e.target.value)} />}
          </Field>
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
  async function submit(e: SubmitEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    errors.clear();
    const parsed = ConsentRecord.safeParse({ id: commandId(), agreed });
    if (!parsed.success) return errors.fromZod(parsed.error);
    const r = await post(props.cohortId, "consent", parsed.data);
    if (r.ok) props.onDone();
    else errors.fromServer(r.error);
  }
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
  async function submit(e: SubmitEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    errors.clear();
    const parsed = TransportRecord.safeParse({ id: commandId(), driver, contact, notes });
    if (!parsed.success) return errors.fromZod(parsed.error);
    const r = await post(props.cohortId, "transport", parsed.data);
    if (r.ok) props.onDone();
    else errors.fromServer(r.error);
  }
  return (
    <form className="stack big-form" onSubmit={(e) => void submit(e)} noValidate data-testid="transport-form">
      <Field id="transport-driver" label="Who will take you home?" error={errors.fields.driver}>
        {(a) => (
          <input {...a} value={driver} onChange={(e) => setDriver(e.target.value)} data-testid="transport-driver" />
        )}
      </Field>
      <Field id="transport-contact" label="How can we reach them? (phone)" error={errors.fields.contact}>
        {(a) => (
          <input
            {...a}
            inputMode="tel"
            value={contact}
            onChange={(e) => setContact(e.target.value)}
            data-testid="transport-contact"
          />
        )}
      </Field>
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

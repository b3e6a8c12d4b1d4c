import { useState } from "react";
import { z } from "zod";
import { CohortCreate, ProgramCreate } from "../../../shared/protocol/admin.js";
import { commandId, http } from "../admin/http.js";
import { Field, FormError, InputField, useFormErrors } from "./kit.js";

/** Create a program: name, IANA zone and rule profile. */
export function ProgramForm(props: { onDone: (programId: string) => void }) {
  const [name, setName] = useState("");
  const [zone, setZone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone || "America/Los_Angeles");
  const [profile, setProfile] = useState("oregon-2025");
  const errors = useFormErrors();
  const submit = errors.submit(
    () => ProgramCreate.safeParse({ id: commandId(), name, zone, profile }),
    (data) => http("POST", "/api/admin/programs", z.object({ programId: z.string() }), data),
    (reply) => props.onDone(reply.programId),
  );
  return (
    <form className="stack" onSubmit={(e) => void submit(e)} noValidate data-testid="program-form">
      <InputField id="program-name" label="Program name" error={errors.fields.name} value={name} onValue={setName} />
      <InputField
        id="program-zone"
        label="Time zone"
        hint="An IANA name, e.g. America/Los_Angeles"
        error={errors.fields.zone}
        value={zone}
        onValue={setZone}
      />
      <Field id="program-profile" label="Rule profile" error={errors.fields.profile}>
        {(a) => (
          <select {...a} value={profile} onChange={(e) => setProfile(e.target.value)}>
            <option value="oregon-2025">Oregon (OAR 333-333, 2025)</option>
            <option value="clinical-trial">Clinical trial (protocol-defined)</option>
          </select>
        )}
      </Field>
      <FormError message={errors.form} testId="program-form-error" />
      <button type="submit" className="primary">
        Create program
      </button>
    </form>
  );
}

/** Create a cohort in a program: a name and the room's capacity. */
export function CohortForm(props: { programId: string; onDone: (cohortId: string) => void }) {
  const [name, setName] = useState("");
  const [capacity, setCapacity] = useState("12");
  const errors = useFormErrors();
  const submit = errors.submit(
    () =>
      CohortCreate.safeParse({
        id: commandId(),
        programId: props.programId,
        name,
        capacity: capacity.trim() === "" ? Number.NaN : Number(capacity),
      }),
    (data) => http("POST", "/api/admin/cohorts", z.object({ cohortId: z.string() }), data),
    (reply) => props.onDone(reply.cohortId),
  );
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} noValidate data-testid="cohort-form">
      <InputField
        id="cohort-name"
        label="New cohort name"
        error={errors.fields.name}
        value={name}
        onValue={setName}
        testId="cohort-name"
      />
      <InputField
        id="cohort-capacity"
        label="Room capacity"
        error={errors.fields.capacity}
        value={capacity}
        onValue={setCapacity}
        testId="cohort-capacity"
        attrs={{ inputMode: "numeric" }}
      />
      <button type="submit" className="primary" data-testid="cohort-submit">
        Create cohort
      </button>
      <FormError message={errors.form} testId="cohort-form-error" />
    </form>
  );
}

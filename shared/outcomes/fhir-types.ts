/**
 * [OUT7] The few FHIR R4 shapes the export writes, no more: typed here so the builder cannot
 * misspell an element; the tests validate the output against the official R4 JSON schema.
 */

export interface Coding {
  system: string;
  code: string;
  display?: string;
  extension?: Extension[];
}

export interface Extension {
  url: string;
  valueDecimal?: number;
}

export interface CodeableConcept {
  coding: Coding[];
  text?: string;
}

export interface Identifier {
  system: string;
  value: string;
}

export interface Reference {
  reference: string;
  type?: string;
  identifier?: Identifier;
}

export interface Patient {
  resourceType: "Patient";
  id: string;
  identifier: Identifier[];
  name?: { text: string }[];
}

export interface QuestionnaireResponseAnswer {
  valueCoding?: Coding;
  valueInteger?: number;
}

export interface QuestionnaireResponseItem {
  linkId: string;
  text: string;
  answer?: QuestionnaireResponseAnswer[];
}

export interface QuestionnaireResponse {
  resourceType: "QuestionnaireResponse";
  id: string;
  identifier: Identifier;
  questionnaire: string;
  status: "completed";
  subject: Reference;
  authored: string;
  item: QuestionnaireResponseItem[];
}

export interface Quantity {
  value: number;
  unit: string;
  system: string;
  code: string;
}

export interface Observation {
  resourceType: "Observation";
  id: string;
  identifier: Identifier[];
  status: "final";
  category: CodeableConcept[];
  code: CodeableConcept;
  subject: Reference;
  effectiveDateTime: string;
  issued: string;
  valueQuantity: Quantity;
  interpretation: CodeableConcept[];
  derivedFrom: Reference[];
}

export type BundleResource = Patient | QuestionnaireResponse | Observation;

export interface BundleEntry {
  fullUrl: string;
  resource: BundleResource;
}

export interface Bundle {
  resourceType: "Bundle";
  id: string;
  type: "collection";
  timestamp: string;
  entry: BundleEntry[];
}

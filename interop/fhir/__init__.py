"""The clinic's records as FHIR R4 resources, built and validated with ``fhir.resources.R4B``.

- ``codes``: the code systems used, external (HL7, LOINC) and the clinic's own;
- ``gather``: every record of a set of patients, in a fixed number of queries;
- ``people``, ``clinical``, ``care``: one function per resource type;
- ``export``: a patient's record as one Bundle, or the clinic as NDJSON per resource type.

The mapping table is in the README ("FHIR export").
"""

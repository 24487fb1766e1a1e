// The shared values (recognitions, input types, report values) are part of this module's API.
@_exported import NumeralValues

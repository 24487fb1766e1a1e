import NumeralRecognition
import NumeralStore

/// A model version as `numeral model list` and the dashboard show it: the model-table row plus
/// its card (nil when the card is missing or unreadable) and where its weights are.
public struct RegisteredModel: Sendable {
    public enum Origin: String, Sendable {
        /// Copied from the model that ships with Numeral.
        case shipped
        /// Fine-tuned from feedback and adopted.
        case adopted
        /// Fine-tuned from feedback but kept aside by the guardrails.
        case rejected
        /// Registered by something else (another tool, an older Numeral).
        case other
    }

    public var version: ModelVersion
    public var card: ModelCard?
    public var weightsPath: String
    public var weightsExist: Bool

    public var id: String { version.id }
    public var isActive: Bool { version.isActive }

    public var origin: Origin {
        if version.metrics[ModelRegistry.MetricKey.shipped] == 1 { return .shipped }
        switch version.metrics[ImprovementReport.MetricKey.adopted] {
        case 1?: return .adopted
        case 0?: return .rejected
        default: return .other
        }
    }
}

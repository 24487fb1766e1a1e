import Foundation
import NumeralStore

/// Where the dashboard reads from.
public struct DashboardSource: Sendable {
    /// The directory holding `numeral.sqlite`.
    public var logDirectory: String
    /// The model's weights (its card sits beside them); nil finds the model the way the app does.
    public var modelPath: String?
    /// Day and hour buckets follow this zone's wall clock.
    public var timeZone: TimeZone
    public var lowConfidenceThreshold: Double
    /// A shared PostgreSQL log to read instead of the SQLite one in `logDirectory`.
    public var sharedLog: PostgresURL?

    public init(logDirectory: String = PredictionStore.defaultDirectory(), modelPath: String? = nil,
                timeZone: TimeZone = .current, lowConfidenceThreshold: Double = 0.5, sharedLog: PostgresURL? = nil) {
        self.logDirectory = logDirectory
        self.sharedLog = sharedLog
        self.modelPath = modelPath
        self.timeZone = timeZone
        self.lowConfidenceThreshold = lowConfidenceThreshold
    }

    public var logPath: String { sharedLog?.description ?? (logDirectory as NSString).appendingPathComponent(PredictionStore.fileName) }
}

import Foundation
import Prometheus

/// What `/metrics` reports, in Prometheus' text format: requests by route and status, request
/// latency, predictions by input type, and the model being served.
public final class ServerMetrics: @unchecked Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let lock = NSLock()
    private var modelGauges: [String: Gauge] = [:]
    private var reportedLogWrites = (writes: 0, commits: 0)
    private static let latencyBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
    ]

    public init() {}

    func requestFinished(route: String, method: String, status: Int, seconds: Double) {
        registry.makeCounter(descriptor: .init(metricName: "numeral_http_requests", unitName: "total", helpText: "HTTP requests answered"),
                             labels: [("route", route), ("method", method), ("status", String(status))]).increment()
        registry.makeDurationHistogram(descriptor: .init(metricName: "numeral_http_request_duration", unitName: "seconds",
                                                         helpText: "Time to answer a request"),
                                       labels: [("route", route)], buckets: Self.latencyBuckets)
            .record(.nanoseconds(Int64(seconds * 1e9)))
    }

    func predicted(inputType: String, latencyMs: Double) {
        registry.makeCounter(descriptor: .init(metricName: "numeral_predictions", unitName: "total", helpText: "Predictions made"),
                             labels: [("input_type", inputType)]).increment()
        registry.makeDurationHistogram(descriptor: .init(metricName: "numeral_recognition_duration", unitName: "seconds",
                                                         helpText: "Time the model took per prediction"),
                                       labels: [("input_type", inputType)], buckets: Self.latencyBuckets)
            .record(.nanoseconds(Int64(latencyMs * 1e6)))
    }

    /// Sets numeral_model_info{model="…"} to 1 for the served model and 0 for earlier ones.
    func serving(model: String) {
        lock.withLock {
            for (id, gauge) in modelGauges where id != model { gauge.set(to: 0) }
            let gauge = modelGauges[model] ?? registry.makeGauge(
                descriptor: .init(metricName: "numeral_model_info", helpText: "1 for the model being served"), labels: [("model", model)])
            modelGauges[model] = gauge
            gauge.set(to: 1)
        }
    }

    /// Brings numeral_log_writes_total and numeral_log_commits_total up to the log writer's
    /// counts: their ratio is how many records a commit (one fsync) carries.
    func logged(writes: Int, commits: Int) {
        lock.withLock {
            let writesCounter = registry.makeCounter(descriptor: .init(metricName: "numeral_log_writes", unitName: "total",
                                                                       helpText: "Records and feedback written to the log"))
            let commitsCounter = registry.makeCounter(descriptor: .init(metricName: "numeral_log_commits", unitName: "total",
                                                                        helpText: "Log transactions (group commits) that carried them"))
            writesCounter.increment(by: Int64(max(0, writes - reportedLogWrites.writes)))
            commitsCounter.increment(by: Int64(max(0, commits - reportedLogWrites.commits)))
            reportedLogWrites = (max(writes, reportedLogWrites.writes), max(commits, reportedLogWrites.commits))
        }
    }

    public func text() -> [UInt8] { registry.emitToBuffer() }
}

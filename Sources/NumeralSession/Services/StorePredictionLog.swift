import Foundation
import NumeralStore
import NumeralUI
import NumeralVision

/// The window's log: every drawing is one record in the store, written through the durable
/// log so a prediction or correction made while the database is locked is kept on disk and
/// written later instead of being lost.
public final class StorePredictionLog: PredictionLogging, @unchecked Sendable {
    private let log: DurablePredictionLog
    /// Names this run's records uniquely across processes and restarts: `<session>-<record>`.
    private let session: String
    /// Written into every record: which device of a fleet made it.
    public let device: String

    public init(log: DurablePredictionLog, device: String = DeviceName.resolve(), session: String = UUID().uuidString.lowercased()) {
        self.log = log
        self.device = device
        self.session = session
    }

    public convenience init(store: PredictionStore, device: String = DeviceName.resolve()) {
        self.init(log: DurablePredictionLog(store: store), device: device)
    }

    /// Another view's log over the same store: its records are numbered on their own (the camera
    /// view's captures), so they get a session name of their own.
    public func sibling() -> StorePredictionLog {
        StorePredictionLog(log: log, device: device)
    }

    public func uid(record: Int) -> String { "\(session)-\(record)" }

    public func logPrediction(_ r: Recognition, inputType: InputType, drawing: Drawing?,
                              record: Int) throws -> LogOutcome {
        let entry = PredictionRecord(r, inputType: inputType, drawing: drawing, device: device)
        return Self.outcome(try log.upsert(entry, uid: uid(record: record)))
    }

    public func logFeedback(actual: String, record: Int) throws -> LogOutcome {
        Self.outcome(try log.setActual(uid: uid(record: record), actual: actual))
    }

    private static func outcome(_ receipt: DurablePredictionLog.Receipt) -> LogOutcome {
        switch receipt {
        case .stored(let id): return .logged(id: id)
        case .kept(let reason): return .kept(reason)
        }
    }
}

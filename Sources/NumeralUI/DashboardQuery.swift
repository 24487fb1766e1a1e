/// Which predictions the dashboard summarizes: a date range ending now and an input type.
public struct DashboardQuery: Equatable, Sendable {
    public var range: DashboardRange
    public var input: DashboardInputFilter
    /// One device of a fleet sharing the log, or nil for all of them.
    public var device: String?

    public init(range: DashboardRange = .all, input: DashboardInputFilter = .all, device: String? = nil) {
        self.range = range
        self.input = input
        self.device = device
    }

    /// "last 7 days, canvas, kiosk-2" for status lines; empty for everything.
    public var description: String {
        [range == .all ? nil : range.phrase, input == .all ? nil : input.rawValue, device]
            .compactMap { $0 }.joined(separator: ", ")
    }
}

/// The date-range chips. Ranges end at the moment the data is loaded.
public enum DashboardRange: String, CaseIterable, Equatable, Sendable {
    case all, day, week, month

    /// How far back from now, or nil for the whole log.
    public var seconds: Double? {
        switch self {
        case .all: return nil
        case .day: return 86_400
        case .week: return 7 * 86_400
        case .month: return 30 * 86_400
        }
    }

    public var label: String {
        switch self {
        case .all: return "All time"
        case .day: return "24 h"
        case .week: return "7 days"
        case .month: return "30 days"
        }
    }

    var phrase: String {
        switch self {
        case .all: return "all time"
        case .day: return "last 24 h"
        case .week: return "last 7 days"
        case .month: return "last 30 days"
        }
    }
}

/// The input-type chips; raw values are the log's input type names.
public enum DashboardInputFilter: String, CaseIterable, Equatable, Sendable {
    case all, canvas, upload, camera, api

    public var label: String {
        switch self {
        case .all: return "All inputs"
        case .canvas: return "Canvas"
        case .upload: return "Upload"
        case .camera: return "Camera"
        case .api: return "API"
        }
    }

    /// The input type shown, or nil for no restriction.
    public var inputType: InputType? {
        switch self {
        case .all: return nil
        case .canvas: return .canvas
        case .upload: return .upload
        case .camera: return .camera
        case .api: return .api
        }
    }
}

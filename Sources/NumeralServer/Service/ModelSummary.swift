import Foundation
import NumeralImprovement

/// One model version as `GET /api/v1/models` lists it (no file paths).
public struct ModelSummary: Codable, Sendable, Equatable {
    public var id: String
    public var parentID: String?
    public var created: Date
    public var active: Bool
    public var origin: String
    public var available: Bool
    public var metrics: [String: Double]

    enum CodingKeys: String, CodingKey {
        case id, created, active, origin, available, metrics
        case parentID = "parent_id"
    }

    init(_ model: RegisteredModel) {
        id = model.id
        parentID = model.version.parentID
        created = model.version.created
        active = model.isActive
        origin = model.origin.rawValue
        available = model.weightsExist
        metrics = model.version.metrics.filter { $0.value.isFinite }
    }
}

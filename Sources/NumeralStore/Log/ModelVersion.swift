import Foundation

/// A trained model file the app has known, with where it came from and how it scored,
/// so retraining from feedback can be compared and rolled back.
public struct ModelVersion: Sendable, Equatable, Codable {
    public var id: String
    public var created: Date
    /// Where the model file lives (as given; the store does not check it exists).
    public var path: String
    /// The model this one was fine-tuned from, if any.
    public var parentID: String?
    /// Named scores such as "mnist_accuracy" or "pen_accuracy".
    public var metrics: [String: Double]
    /// Whether the app should load this model; at most one version is active.
    public var isActive: Bool

    public init(id: String, created: Date = Date(), path: String, parentID: String? = nil,
                metrics: [String: Double] = [:], isActive: Bool = false) {
        self.id = id
        self.created = created
        self.path = path
        self.parentID = parentID
        self.metrics = metrics
        self.isActive = isActive
    }
}

extension ModelVersion {
    /// The model that became active since `model` was derived from its parent, when `model` is
    /// registered to replace that parent: it must then be kept inactive. Nil when `model` is
    /// not to be active, names no parent, or its parent (or nothing) is still the active one.
    static func supersededParent(of model: ModelVersion, active: String?) -> String? {
        guard model.isActive, let parent = model.parentID, let active, active != parent else { return nil }
        return active
    }
}

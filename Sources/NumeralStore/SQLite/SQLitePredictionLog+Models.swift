import Foundation
import GRDB

/// Model versions on SQLite; their files live beside the log, in the data directory.
extension SQLitePredictionLog {
    public func insertModel(_ model: ModelVersion) async throws {
        guard let created = UTCTimestamp.format(model.created) else {
            throw StoreError.invalidRecord("the model's creation date is outside years 0000...9999")
        }
        let metrics = try StoreJSON.text(model.metrics)
        let superseded: String? = try await writing { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM models WHERE id = ?", arguments: [model.id]) != nil {
                throw StoreError.duplicateModel(id: model.id)
            }
            // In the write transaction: no other registration can come between the check and the change.
            let current = try String.fetchOne(db, sql: "SELECT id FROM models WHERE is_active = 1")
            let superseded = ModelVersion.supersededParent(of: model, active: current)
            let activate = model.isActive && superseded == nil
            if activate { try db.execute(sql: "UPDATE models SET is_active = 0 WHERE is_active = 1") }
            try db.execute(sql: """
                INSERT INTO models (id, created, path, parent_id, metrics, is_active) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [model.id, created, model.path, model.parentID, metrics, activate])
            return superseded
        }
        if let superseded, let parent = model.parentID {
            throw StoreError.activeModelChanged(id: model.id, parent: parent, active: superseded)
        }
    }

    public func models() async throws -> [ModelVersion] {
        try await reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM models ORDER BY created, id").map(Self.decodeModel)
        }
    }

    public func setActiveModel(id: String) async throws {
        try await writing { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM models WHERE id = ?", arguments: [id]) != nil else {
                throw StoreError.unknownModel(id: id)
            }
            try db.execute(sql: "UPDATE models SET is_active = 0 WHERE is_active = 1 AND id != ?", arguments: [id])
            try db.execute(sql: "UPDATE models SET is_active = 1 WHERE id = ?", arguments: [id])
        }
    }

    public func activeModel() async throws -> ModelVersion? {
        try await reading { db in
            try Row.fetchOne(db, sql: "SELECT * FROM models WHERE is_active = 1").map(Self.decodeModel)
        }
    }

    /// Nothing to keep: a SQLite log's versions are files beside it.
    public func storeModelFiles(id: String, weights: Data, card: Data) async throws {}

    /// None: a SQLite log's versions are files beside it.
    public func modelFiles(id: String) async throws -> (weights: Data, card: Data)? { nil }

    private static func decodeModel(_ row: Row) throws -> ModelVersion {
        func value<T: DatabaseValueConvertible>(_ column: String) -> T? {
            guard let stored = row[column] as DatabaseValue? else { return nil }
            return T.fromDatabaseValue(stored)
        }
        guard let id: String = value("id") else { throw DamagedRow(detail: "a model has no text id") }
        guard let createdText: String = value("created"), let created = UTCTimestamp.parse(createdText) else {
            throw DamagedRow(detail: "model \(id) has an unreadable creation date")
        }
        let metricsText: String = value("metrics") ?? "{}"
        guard let metrics = try? JSONDecoder().decode([String: Double].self, from: Data(metricsText.utf8)) else {
            throw DamagedRow(detail: "model \(id) has unreadable metrics")
        }
        return ModelVersion(id: id, created: created, path: value("path") ?? "", parentID: value("parent_id"),
                            metrics: metrics, isActive: value("is_active") ?? false)
    }
}

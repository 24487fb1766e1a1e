import Foundation
import GRDB

extension PredictionStore {
    /// Adds a model version. If it is marked active, it replaces the active one.
    public func registerModel(_ model: ModelVersion) throws {
        if let postgres { return try postgres.registerModel(model) }
        try guarded {
            guard !model.id.isEmpty else { throw StoreError.invalidRecord("the model id is empty") }
            guard let created = UTCTimestamp.format(model.created) else {
                throw StoreError.invalidRecord("the model's creation date is outside years 0000...9999")
            }
            guard model.metrics.values.allSatisfy(\.isFinite) else {
                throw StoreError.invalidRecord("model \(model.id) has a non-finite metric")
            }
            let metrics = try StoreJSON.text(model.metrics)
            try pool.write { db in
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM models WHERE id = ?", arguments: [model.id]) != nil {
                    throw StoreError.duplicateModel(id: model.id)
                }
                if model.isActive { try db.execute(sql: "UPDATE models SET is_active = 0 WHERE is_active = 1") }
                try db.execute(sql: """
                    INSERT INTO models (id, created, path, parent_id, metrics, is_active) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [model.id, created, model.path, model.parentID, metrics, model.isActive])
            }
        }
    }

    /// All registered versions, oldest first.
    public func models() throws -> [ModelVersion] {
        if let postgres { return try postgres.models() }
        return try guarded {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM models ORDER BY created, id").map(Self.decodeModel)
            }
        }
    }

    /// Makes `id` the one active model.
    public func setActiveModel(id: String) throws {
        if let postgres { return try postgres.setActiveModel(id: id) }
        try guarded {
            try pool.write { db in
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM models WHERE id = ?", arguments: [id]) != nil else {
                    throw StoreError.unknownModel(id: id)
                }
                try db.execute(sql: "UPDATE models SET is_active = 0 WHERE is_active = 1 AND id != ?", arguments: [id])
                try db.execute(sql: "UPDATE models SET is_active = 1 WHERE id = ?", arguments: [id])
            }
        }
    }

    /// For a shared log: keeps a version's weights and card in the database, so every machine
    /// on the log can load it. A no-op on SQLite, whose versions live beside the log.
    public func storeModelFiles(id: String, weights: Data, card: Data) throws {
        guard let postgres else { return }
        try postgres.storeModelFiles(id: id, weights: weights, card: card)
    }

    /// A version's weights and card from a shared log; nil on SQLite or when it has none.
    public func modelFiles(id: String) throws -> (weights: Data, card: Data)? {
        guard let postgres else { return nil }
        return try postgres.modelFiles(id: id)
    }

    public func activeModel() throws -> ModelVersion? {
        if let postgres { return try postgres.activeModel() }
        return try guarded {
            try pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM models WHERE is_active = 1").map(Self.decodeModel)
            }
        }
    }

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

import Foundation
import PostgresNIO

/// Model versions on PostgreSQL: one registry for every instance that shares the log, the
/// versions' weights and cards with it.
extension PostgresPredictionLog {
    public func insertModel(_ model: ModelVersion) async throws {
        let metrics = try StoreJSON.text(model.metrics)
        let created = UTCTimestamp.truncatedToMilliseconds(model.created)
        let superseded: String?
        do {
            superseded = try await pool.withConnection { [pool] c in
                try await pool.transaction(c) {
                    // Registrations one at a time across the fleet, so two improvements that
                    // finish together cannot both replace the model they started from.
                    try await pool.execute("LOCK TABLE models IN SHARE ROW EXCLUSIVE MODE", on: c)
                    let current = try await pool.query("SELECT id FROM models WHERE is_active", on: c).first.map { try $0[0].decode(String.self) }
                    let superseded = ModelVersion.supersededParent(of: model, active: current)
                    let activate = model.isActive && superseded == nil
                    if activate { try await pool.execute("UPDATE models SET is_active = false WHERE is_active", on: c) }
                    try await pool.execute("""
                        INSERT INTO models (id, created, path, parent_id, metrics, is_active)
                        VALUES (\(model.id), \(created), \(model.path), \(model.parentID), \(metrics), \(activate))
                        """, on: c)
                    return superseded
                }
            }
        } catch PostgresConnectionPool.Refusal.duplicate {
            throw StoreError.duplicateModel(id: model.id)
        }
        if let superseded, let parent = model.parentID {
            throw StoreError.activeModelChanged(id: model.id, parent: parent, active: superseded)
        }
    }

    public func models() async throws -> [ModelVersion] {
        try await pool.withConnection { [pool] c in
            try await pool.query("SELECT id, created, path, parent_id, metrics, is_active FROM models ORDER BY created, id", on: c)
                .map(Self.decodeModel)
        }
    }

    public func setActiveModel(id: String) async throws {
        try await pool.withConnection { [pool] c in
            try await pool.transaction(c) {
                guard try await pool.query("SELECT 1 FROM models WHERE id = \(id)", on: c).count == 1 else { throw StoreError.unknownModel(id: id) }
                try await pool.execute("UPDATE models SET is_active = false WHERE is_active AND id <> \(id)", on: c)
                try await pool.execute("UPDATE models SET is_active = true WHERE id = \(id)", on: c)
            }
        }
    }

    public func activeModel() async throws -> ModelVersion? {
        try await pool.withConnection { [pool] c in
            try await pool.query("SELECT id, created, path, parent_id, metrics, is_active FROM models WHERE is_active", on: c)
                .first.map(Self.decodeModel)
        }
    }

    public func storeModelFiles(id: String, weights: Data, card: Data) async throws {
        let cardText = String(decoding: card, as: UTF8.self)
        try await pool.withConnection { [pool] c in
            try await pool.execute("""
                INSERT INTO model_files (id, weights, card) VALUES (\(id), \(weights), \(cardText))
                ON CONFLICT (id) DO UPDATE SET weights = excluded.weights, card = excluded.card
                """, on: c)
        }
    }

    public func modelFiles(id: String) async throws -> (weights: Data, card: Data)? {
        let found: (Data, String)? = try await pool.withConnection { [pool] c in
            guard let row = try await pool.query("SELECT weights, card FROM model_files WHERE id = \(id)", on: c).first else { return nil }
            return (try row[0].decode(Data.self), try row[1].decode(String.self))
        }
        return found.map { ($0.0, Data($0.1.utf8)) }
    }

    static func decodeModel(_ row: PostgresRandomAccessRow) throws -> ModelVersion {
        guard let id = try? row[0].decode(String.self) else { throw DamagedRow(detail: "a model has no text id") }
        guard let created = try? row[1].decode(Date.self) else { throw DamagedRow(detail: "model \(id) has an unreadable creation date") }
        let metricsText = (try? row[4].decode(String.self)) ?? "{}"
        guard let metrics = try? JSONDecoder().decode([String: Double].self, from: Data(metricsText.utf8)) else {
            throw DamagedRow(detail: "model \(id) has unreadable metrics")
        }
        return ModelVersion(id: id, created: UTCTimestamp.truncatedToMilliseconds(created), path: (try? row[2].decode(String.self)) ?? "",
                            parentID: (try? row[3].decode(String?.self)) ?? nil, metrics: metrics,
                            isActive: (try? row[5].decode(Bool.self)) ?? false)
    }
}

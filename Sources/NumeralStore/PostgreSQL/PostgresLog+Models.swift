import Foundation
import PostgresNIO

/// Model versions on PostgreSQL: one registry for every instance that shares the log.
extension PostgresLog {
    func registerModel(_ model: ModelVersion) throws {
        guard !model.id.isEmpty else { throw StoreError.invalidRecord("the model id is empty") }
        guard UTCTimestamp.format(model.created) != nil else {
            throw StoreError.invalidRecord("the model's creation date is outside years 0000...9999")
        }
        guard model.metrics.values.allSatisfy(\.isFinite) else { throw StoreError.invalidRecord("model \(model.id) has a non-finite metric") }
        let metrics = try StoreJSON.text(model.metrics)
        let created = UTCTimestamp.truncatedToMilliseconds(model.created)
        do {
            try run { c in
                try transaction(c) {
                    if model.isActive { try execute("UPDATE models SET is_active = false WHERE is_active", on: c) }
                    try execute("""
                        INSERT INTO models (id, created, path, parent_id, metrics, is_active)
                        VALUES (\(model.id), \(created), \(model.path), \(model.parentID), \(metrics), \(model.isActive))
                        """, on: c)
                }
            }
        } catch ServerRefusal.duplicate {
            throw StoreError.duplicateModel(id: model.id)
        }
    }

    func models() throws -> [ModelVersion] {
        try run { c in
            try query("SELECT id, created, path, parent_id, metrics, is_active FROM models ORDER BY created, id", on: c).map(Self.decodeModel)
        }
    }

    func setActiveModel(id: String) throws {
        try run { c in
            try transaction(c) {
                guard try query("SELECT 1 FROM models WHERE id = \(id)", on: c).count == 1 else { throw StoreError.unknownModel(id: id) }
                try execute("UPDATE models SET is_active = false WHERE is_active AND id <> \(id)", on: c)
                try execute("UPDATE models SET is_active = true WHERE id = \(id)", on: c)
            }
        }
    }

    func activeModel() throws -> ModelVersion? {
        try run { c in
            try query("SELECT id, created, path, parent_id, metrics, is_active FROM models WHERE is_active", on: c).first.map(Self.decodeModel)
        }
    }

    func storeModelFiles(id: String, weights: Data, card: Data) throws {
        let cardText = String(decoding: card, as: UTF8.self)
        try run { c in
            try execute("""
                INSERT INTO model_files (id, weights, card) VALUES (\(id), \(weights), \(cardText))
                ON CONFLICT (id) DO UPDATE SET weights = excluded.weights, card = excluded.card
                """, on: c)
        }
    }

    func modelFiles(id: String) throws -> (weights: Data, card: Data)? {
        try run { c in
            guard let row = try query("SELECT weights, card FROM model_files WHERE id = \(id)", on: c).first else { return nil }
            let weights = try row[0].decode(Data.self)
            let card = try row[1].decode(String.self)
            return (weights, Data(card.utf8))
        }
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

import Foundation

/// Handwritten characters with their labels, for measuring a model: DigiLeTs files (one writer's
/// file or a folder of them) or JSON Lines, one drawing per line with a `label` string (one
/// character) and optionally a `writer` number, e.g.
/// `{"strokes": [[[x, y], ...]], "width": 500, "height": 500, "label": "g", "writer": 3}`.
public struct LabelledCharacters: Sendable {
    public struct Item: Sendable {
        public var symbol: Character
        public var writer: Int
        public var drawing: Drawing
    }

    public var items: [Item]

    /// A `.jsonl`/`.ndjson` file is read as JSON Lines, anything else as DigiLeTs.
    public static func load(path: String) throws -> LabelledCharacters {
        let lower = path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return try loadJSONLines(path: path) }
        let symbols = CharacterClasses.alphanumeric.symbols
        return LabelledCharacters(items: try DigiLeTs.load(path: path).map {
            Item(symbol: symbols[$0.label], writer: $0.writer, drawing: $0.drawing)
        })
    }

    static func loadJSONLines(path: String) throws -> LabelledCharacters {
        let data = try DrawingFile.readData(path: path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw VisionError.invalidDrawingJSON(line: nil, reason: "the file is not UTF-8 text")
        }
        var items: [Item] = []
        for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() where !line.allSatisfy(\.isWhitespace) {
            let number = index + 1
            guard var object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                throw VisionError.invalidDrawingJSON(line: number, reason: "it is not a JSON object")
            }
            let label: String
            if let s = object["label"] as? String { label = s } else if let n = object["label"] as? Int { label = String(n) } else {
                throw VisionError.invalidDrawingJSON(line: number, reason: "it has no \"label\" string naming the character drawn")
            }
            guard label.count == 1, let symbol = label.first else {
                throw VisionError.invalidDrawingJSON(line: number, reason: "its label \"\(label.prefix(20))\" is not one character")
            }
            let writer = object["writer"] as? Int ?? 0
            object["label"] = nil
            object["writer"] = nil
            let drawing: Drawing
            do {
                drawing = try JSONDecoder().decode(Drawing.self, from: JSONSerialization.data(withJSONObject: object))
            } catch let error as VisionError {
                throw error
            } catch {
                throw VisionError.invalidDrawingJSON(line: number, reason: ReadableError.decoding(error))
            }
            items.append(Item(symbol: symbol, writer: writer, drawing: drawing))
        }
        return LabelledCharacters(items: items)
    }
}

import Foundation

/// Drawings on disk: a `.json` file holds one drawing object, a `.jsonl` (or `.ndjson`) file
/// holds one drawing object per line. The object form is `Drawing`'s Codable form.
public enum DrawingFile {
    public static let singleDrawingExtensions = ["json"]
    public static let lineExtensions = ["jsonl", "ndjson"]
    /// Largest drawing file read into memory.
    public static let maxFileBytes = 256 * 1024 * 1024

    /// One result per drawing in the file, in file order. A line that does not decode yields
    /// `.failure(.invalidDrawingJSON(line:reason:))` and reading continues with the next line;
    /// blank lines are skipped. Throws only when the file itself cannot be read or its
    /// extension is unknown.
    public static func read(path: String) throws -> [Result<Drawing, VisionError>] {
        let lines = try isLineFormat(path)
        return parse(try readData(path: path), lines: lines)
    }

    /// The drawings in a file's bytes: one JSON object, or one per line when `lines` is true.
    public static func parse(_ data: Data, lines: Bool) -> [Result<Drawing, VisionError>] {
        if !lines {
            return [decode(data, line: nil)]
        }
        var results: [Result<Drawing, VisionError>] = []
        var lineNumber = 0
        for var line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            while let last = line.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: " ") || last == 9 {
                line = line.dropLast()
            }
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == 9 }) { continue }
            results.append(decode(Data(line), line: lineNumber))
        }
        return results
    }

    /// Writes `drawings` atomically (a crash never leaves a half-written file). A `.json` path
    /// takes exactly one drawing; a `.jsonl` path any number, one per line.
    public static func write(_ drawings: [Drawing], to path: String) throws {
        let lines = try isLineFormat(path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = Data()
        do {
            if lines {
                for drawing in drawings {
                    data.append(try encoder.encode(drawing))
                    data.append(UInt8(ascii: "\n"))
                }
            } else {
                guard drawings.count == 1 else {
                    throw VisionError.invalidRequest(
                        "A .json file holds exactly one drawing, but \(drawings.count) were given: "
                            + "use a .jsonl path to save several.")
                }
                data = try encoder.encode(drawings[0])
                data.append(UInt8(ascii: "\n"))
            }
        } catch let error as VisionError {
            throw error
        } catch {
            throw VisionError.unwritableFile(path: path, reason: explain(error))
        }
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw VisionError.unwritableFile(path: path, reason: explain(error))
        }
    }

    /// Writes one drawing to a `.json` or `.jsonl` path.
    public static func write(_ drawing: Drawing, to path: String) throws {
        try write([drawing], to: path)
    }

    private static func isLineFormat(_ path: String) throws -> Bool {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        if lineExtensions.contains(ext) { return true }
        if singleDrawingExtensions.contains(ext) { return false }
        throw VisionError.unsupportedFileExtension(path: path, supported: singleDrawingExtensions + lineExtensions)
    }

    private static func decode(_ data: Data, line: Int?) -> Result<Drawing, VisionError> {
        do {
            let drawing = try JSONDecoder().decode(Drawing.self, from: data)
            if let (stroke, point) = firstNonFinitePoint(drawing) {
                return .failure(.invalidDrawingJSON(
                    line: line, reason: "stroke \(stroke + 1) point \(point + 1) is not a finite number"))
            }
            return .success(drawing)
        } catch {
            return .failure(.invalidDrawingJSON(line: line, reason: ReadableError.decoding(error, data: data)))
        }
    }

    private static func firstNonFinitePoint(_ drawing: Drawing) -> (Int, Int)? {
        for (s, stroke) in drawing.strokes.enumerated() {
            for (p, point) in stroke.points.enumerated() where !point.x.isFinite || !point.y.isFinite {
                return (s, p)
            }
        }
        return nil
    }

    /// Reads a whole file, mapping failures to errors that name the path.
    static func readData(path: String) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw VisionError.fileNotFound(path: path)
        }
        guard !isDirectory.boolValue else {
            throw VisionError.unreadableFile(path: path, reason: "it is a folder, not a file")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maxFileBytes else {
            throw VisionError.unreadableFile(
                path: path, reason: "it is \(size / 1_048_576) MB; drawing files over \(maxFileBytes / 1_048_576) MB are refused, split it into smaller files")
        }
        do {
            return try ReadableError.contents(of: path)
        } catch {
            throw VisionError.unreadableFile(path: path, reason: explain(error))
        }
    }

    /// A one-line human reason for a Foundation or decoding error, without a final period
    /// because VisionError's messages continue after it.
    static func explain(_ error: Error) -> String {
        ReadableError.decoding(error)
    }
}

import Foundation

/// Loader for DigiLeTs (digits and letters written on a tablet, one file per writer): each
/// character is a line of points, five numbers each (`x y pressure pen_down t`, x and y in 0...1
/// with y up), then a line with a one-hot vector over the 62 classes 0-9, a-z, A-Z. Points with
/// pressure 0 and pen_down 0 are the pen hovering and are dropped (ink after a hover starts a new
/// stroke). Characters come out in a 500x500 canvas with y pointing down, labelled by their index
/// in `CharacterClasses.alphanumeric`.
public enum DigiLeTs {
    public static let canvasSize = 500.0
    public static let classCount = 62
    /// At most this many points per character are read (real ones have a few hundred).
    public static let maxPointsPerCharacter = 20_000

    /// Every character of one writer's file, or of every writer's file in a folder (files ending in
    /// `_info` and hidden files skipped, in name order).
    public static func load(path: String) throws -> [PenSample] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw VisionError.fileNotFound(path: path)
        }
        guard isDirectory.boolValue else { return try loadFile(path: path) }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw VisionError.unreadableFile(path: path, reason: ReadableError.decoding(error))
        }
        let files = names.filter { !$0.hasPrefix(".") && !$0.hasSuffix("_info") && !$0.hasSuffix(".md") && !$0.hasSuffix(".txt") }.sorted()
        guard !files.isEmpty else { throw VisionError.invalidDigiLeTs(path: path, reason: "the folder holds no writer files") }
        return try files.flatMap { try loadFile(path: (path as NSString).appendingPathComponent($0)) }
    }

    /// One writer's file. The writer is the number the file's name starts with (e.g. `002-f-22-…`),
    /// or 0 when it has none.
    public static func loadFile(path: String) throws -> [PenSample] {
        let data = try DrawingFile.readData(path: path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw VisionError.invalidDigiLeTs(path: path, reason: "it is not UTF-8 text")
        }
        let name = (path as NSString).lastPathComponent
        let writer = Int(name.prefix(while: \.isNumber).prefix(9)) ?? 0
        let lines = text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
        guard !lines.isEmpty else { throw VisionError.invalidDigiLeTs(path: path, reason: "it is empty") }
        guard lines.count % 2 == 0 else {
            throw VisionError.invalidDigiLeTs(path: path, reason: "it has \(lines.count) lines; each character takes two")
        }
        var samples: [PenSample] = []
        samples.reserveCapacity(lines.count / 2)
        for k in 0..<(lines.count / 2) {
            let label = try oneHot(lines[2 * k + 1], path: path, line: 2 * k + 2)
            let strokes = try strokes(lines[2 * k], path: path, line: 2 * k + 1)
            samples.append(PenSample(label: label, writer: writer, writerSample: k,
                                     drawing: Drawing(strokes: strokes, width: canvasSize, height: canvasSize)))
        }
        return samples
    }

    /// The characters `classes` reads, relabelled with that set's output indices.
    public static func samples(_ all: [PenSample], reading classes: CharacterClasses) -> [PenSample] {
        let symbols = CharacterClasses.alphanumeric.symbols
        return all.compactMap { sample in
            guard symbols.indices.contains(sample.label), let index = classes.index(of: symbols[sample.label]) else { return nil }
            var mapped = sample
            mapped.label = index
            return mapped
        }
    }

    private static func numbers(_ line: Substring, path: String, line number: Int) throws -> [Double] {
        try line.split(whereSeparator: \.isWhitespace).map { field in
            guard let value = Double(field), value.isFinite else {
                throw VisionError.invalidDigiLeTs(path: path, reason: "line \(number) holds \"\(field.prefix(20))\", not a finite number")
            }
            return value
        }
    }

    private static func oneHot(_ line: Substring, path: String, line number: Int) throws -> Int {
        let values = try numbers(line, path: path, line: number)
        guard values.count == classCount else {
            throw VisionError.invalidDigiLeTs(path: path, reason: "line \(number) has \(values.count) numbers where the class vector has \(classCount)")
        }
        guard let best = values.indices.max(by: { values[$0] < values[$1] }), values[best] > 0 else {
            throw VisionError.invalidDigiLeTs(path: path, reason: "line \(number) marks no class")
        }
        return best
    }

    private static func strokes(_ line: Substring, path: String, line number: Int) throws -> [Stroke] {
        let values = try numbers(line, path: path, line: number)
        guard values.count % 5 == 0, !values.isEmpty else {
            throw VisionError.invalidDigiLeTs(path: path, reason: "line \(number) has \(values.count) numbers; a character's points take five each")
        }
        guard values.count / 5 <= maxPointsPerCharacter else {
            throw VisionError.invalidDigiLeTs(path: path, reason: "line \(number) has \(values.count / 5) points; at most \(maxPointsPerCharacter) are read")
        }
        var strokes: [Stroke] = []
        var current: [StrokePoint] = []
        var hovered = false
        for p in 0..<(values.count / 5) {
            let x = values[5 * p], y = values[5 * p + 1], pressure = values[5 * p + 2]
            let penDown = values[5 * p + 3], t = values[5 * p + 4]
            if pressure == 0 && penDown == 0 {
                hovered = true
                continue
            }
            if (penDown == 1 || hovered), !current.isEmpty {
                strokes.append(Stroke(points: current))
                current = []
            }
            hovered = false
            current.append(StrokePoint(x: x * canvasSize, y: (1 - y) * canvasSize, pressure: pressure, time: t))
        }
        if !current.isEmpty { strokes.append(Stroke(points: current)) }
        guard !strokes.isEmpty else {
            throw VisionError.invalidDigiLeTs(path: path, reason: "the character on line \(number) has no ink (every point hovers)")
        }
        return strokes
    }
}

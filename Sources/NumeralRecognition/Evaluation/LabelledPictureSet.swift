import Foundation

/// Pictures of handwritten digits with the number each one shows, for `numeral eval --photos`:
/// a `MANIFEST.tsv` (columns `file`, `label`, and optionally `kind` and `repository` or `source`;
/// files relative to the manifest), or a folder, whose `MANIFEST.tsv` is used when it has one and
/// otherwise every PNG or JPEG named after its label (`7.jpg`, `0042_1984.png`: the digits after
/// the last `_`), its source being its subfolder.
public struct LabelledPictureSet: Sendable {
    public struct Item: Equatable, Sendable {
        public var path: String
        /// The number written, leading zeros kept.
        public var label: String
        /// Where it comes from (a person, a camera, a repository): the per-source table's rows.
        public var source: String
        public var isSingle: Bool { label.count == 1 }

        public init(path: String, label: String, source: String) {
            self.path = path
            self.label = label
            self.source = source
        }
    }

    public var items: [Item]

    public enum LoadError: Error, CustomStringConvertible, Equatable {
        case notFound(String)
        case badManifest(path: String, line: Int, reason: String)
        case empty(String)

        public var description: String {
            switch self {
            case .notFound(let path):
                return "\(path) does not exist: give a folder of labelled pictures or a MANIFEST.tsv"
            case .badManifest(let path, let line, let reason):
                return "\(path), line \(line): \(reason)"
            case .empty(let path):
                return "\(path) holds no labelled picture: name pictures after their number (7.jpg, photo_42.png) or add a MANIFEST.tsv with file and label columns"
            }
        }
    }

    public init(items: [Item]) { self.items = items }

    public static func load(path: String) throws -> LabelledPictureSet {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw LoadError.notFound(path) }
        if isDirectory.boolValue {
            let manifest = (path as NSString).appendingPathComponent("MANIFEST.tsv")
            if FileManager.default.fileExists(atPath: manifest) { return try manifestSet(manifest) }
            return try folderSet(path)
        }
        return try manifestSet(path)
    }

    private static func manifestSet(_ path: String) throws -> LabelledPictureSet {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw LoadError.badManifest(path: path, line: 0, reason: "cannot be read as UTF-8 text (\(error.localizedDescription))")
        }
        let base = (path as NSString).deletingLastPathComponent
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard let header = lines.first?.split(separator: "\t", omittingEmptySubsequences: false).map(String.init),
              let fileColumn = header.firstIndex(of: "file"), let labelColumn = header.firstIndex(of: "label") else {
            throw LoadError.badManifest(path: path, line: 1, reason: "the first line must name the columns, with at least \"file\" and \"label\" (tab-separated)")
        }
        let sourceColumn = header.firstIndex(of: "source") ?? header.firstIndex(of: "repository")
        var items: [Item] = []
        for (index, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count > max(fileColumn, labelColumn) else {
                throw LoadError.badManifest(path: path, line: index + 1, reason: "has \(fields.count) fields; the header has \(header.count)")
            }
            let label = fields[labelColumn]
            guard !label.isEmpty, label.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw LoadError.badManifest(path: path, line: index + 1, reason: "label \"\(label)\" is not a number")
            }
            let file = fields[fileColumn]
            let source = sourceColumn.flatMap { $0 < fields.count ? fields[$0] : nil }
                ?? ((file as NSString).deletingLastPathComponent.isEmpty ? "." : (file as NSString).deletingLastPathComponent)
            items.append(Item(path: file.hasPrefix("/") ? file : (base as NSString).appendingPathComponent(file),
                              label: label, source: source))
        }
        guard !items.isEmpty else { throw LoadError.empty(path) }
        return LabelledPictureSet(items: items)
    }

    private static func folderSet(_ path: String) throws -> LabelledPictureSet {
        let extensions: Set<String> = ["png", "jpg", "jpeg"]
        var items: [Item] = []
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let relative = enumerator?.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            guard extensions.contains((name as NSString).pathExtension.lowercased()) else { continue }
            let stem = (name as NSString).deletingPathExtension
            let label = String(stem.split(separator: "_").last ?? "")
            guard !label.isEmpty, label.allSatisfy({ $0.isASCII && $0.isNumber }) else { continue }
            let folder = (relative as NSString).deletingLastPathComponent
            items.append(Item(path: (path as NSString).appendingPathComponent(relative), label: label,
                              source: folder.isEmpty ? "." : folder))
        }
        guard !items.isEmpty else { throw LoadError.empty(path) }
        return LabelledPictureSet(items: items.sorted { $0.path < $1.path })
    }
}

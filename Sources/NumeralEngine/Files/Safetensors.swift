import Foundation

/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
/// mapping names to {dtype, shape, data_offsets}, then raw little-endian tensor bytes. It is what
/// the rest of the ML world reads, so our weights open in PyTorch with `safetensors.torch.load_file`.
public enum Safetensors {
    /// Headers larger than this are refused before being read: real ones are a few kilobytes.
    public static let headerLimit = 16 * 1024 * 1024

    public struct Entry: Equatable {
        public let shape: [Int]
        public let values: [Float]
    }

    public static func write(_ tensors: [(String, Tensor)], metadata: [String: String] = [:], to path: String) throws {
        var header: [String: Any] = [:]
        var offset = 0
        let ordered = tensors.sorted { $0.0 < $1.0 }
        for (name, t) in ordered {
            header[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + t.count * 4]]
            offset += t.count * 4
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad with spaces to 8 bytes so tensor data is aligned, as the reference writer does.
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        for (_, t) in ordered {
            for i in 0..<t.count {
                withUnsafeBytes(of: t.data[i].bitPattern.littleEndian) { out.append(contentsOf: $0) }
            }
        }
        do {
            try out.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ModelFileError.unwritable(path: path, reason: error.localizedDescription)
        }
    }

    /// Reads every tensor, validating the header against the file before trusting any number in it.
    public static func read(path: String) throws -> (tensors: [String: Entry], metadata: [String: String]) {
        try parse(try mapFile(path: path), path: path)
    }

    /// The file's bytes, memory-mapped when possible; a missing file or a folder is a clear error.
    public static func mapFile(path: String) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ModelFileError.unreadable(path: path, reason: "there is no such file; check the path")
        }
        guard !isDirectory.boolValue else {
            throw ModelFileError.unreadable(path: path, reason: "it is a folder, not a file; pass the .safetensors file inside it")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            let reason = access(path, R_OK) != 0 ? "permission denied; check the file's permissions"
                : "the file cannot be read (\((error as NSError).localizedFailureReason ?? "I/O error"))"
            throw ModelFileError.unreadable(path: path, reason: reason)
        }
    }

    /// Where one tensor lies in a file, as its header declares it (already checked against the file).
    public struct TensorInfo: Equatable {
        public let dtype: String
        public let shape: [Int]
        /// Byte range inside the file.
        public let range: Range<Int>
    }

    /// The checked header of a safetensors file: every tensor's dtype, shape and byte range.
    public struct Header {
        public let tensors: [String: TensorInfo]
        public let metadata: [String: String]
    }

    public static func parse(_ data: Data, path: String) throws -> (tensors: [String: Entry], metadata: [String: String]) {
        let header = try parseHeader(data, path: path)
        var tensors: [String: Entry] = [:]
        for (name, info) in header.tensors { tensors[name] = values(of: info, in: data) }
        return (tensors, header.metadata)
    }

    /// Validates the header against the file without reading any tensor values: size limit,
    /// JSON shape, dtype F32, offsets inside the file, byte counts matching shapes, no overlaps.
    public static func parseHeader(_ data: Data, path: String) throws -> Header {
        guard data.count >= 8 else { throw ModelFileError.tooSmall(path: path, size: data.count) }
        let declared = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard declared <= UInt64(headerLimit) else {
            throw ModelFileError.headerTooLarge(path: path, declared: declared, limit: headerLimit)
        }
        guard declared <= UInt64(data.count - 8) else {
            throw ModelFileError.headerOutsideFile(path: path, declared: declared, fileSize: data.count)
        }
        let headerEnd = 8 + Int(declared)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data.subdata(in: data.startIndex + 8..<data.startIndex + headerEnd))
        } catch {
            throw ModelFileError.invalidHeader(path: path, reason: "unparsable JSON")
        }
        guard let header = object as? [String: Any] else {
            throw ModelFileError.invalidHeader(path: path, reason: "the top level is not an object")
        }
        let body = data.count - headerEnd
        var metadata: [String: String] = [:]
        var tensors: [String: TensorInfo] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                guard let m = value as? [String: String] else {
                    throw ModelFileError.invalidHeader(path: path, reason: "__metadata__ must map strings to strings")
                }
                metadata = m
                continue
            }
            guard let info = value as? [String: Any],
                  let dtype = info["dtype"] as? String,
                  let rawShape = info["shape"] as? [Any], let rawOffsets = info["data_offsets"] as? [Any]
            else { throw ModelFileError.invalidHeader(path: path, reason: "tensor \(name) lacks dtype, shape or data_offsets") }
            let shape = rawShape.compactMap(integer), offsets = rawOffsets.compactMap(integer)
            guard shape.count == rawShape.count, offsets.count == 2, rawOffsets.count == 2 else {
                throw ModelFileError.invalidHeader(path: path, reason: "tensor \(name) needs whole numbers in shape and two in data_offsets")
            }
            guard dtype == "F32" else { throw ModelFileError.unsupportedDType(path: path, tensor: name, dtype: dtype) }
            guard shape.count <= 8, shape.allSatisfy({ $0 >= 0 && $0 < 1 << 31 }) else {
                throw ModelFileError.invalidHeader(path: path, reason: "tensor \(name) has an impossible shape \(shape)")
            }
            let (start, end) = (offsets[0], offsets[1])
            guard start >= 0, end >= start, end <= body else {
                throw ModelFileError.offsetsOutOfRange(path: path, tensor: name)
            }
            let (elements, overflow) = shape.reduce((1, false)) { acc, d in
                let r = acc.0.multipliedReportingOverflow(by: d)
                return (r.partialValue, acc.1 || r.overflow)
            }
            guard !overflow, elements <= Int.max / 4, elements * 4 == end - start else {
                throw ModelFileError.sizeMismatch(path: path, tensor: name, expectedBytes: overflow || elements > Int.max / 4 ? -1 : elements * 4,
                                                  actualBytes: end - start)
            }
            tensors[name] = TensorInfo(dtype: dtype, shape: shape, range: headerEnd + start..<headerEnd + end)
        }
        let spans = tensors.sorted { ($0.value.range.lowerBound, $0.key) < ($1.value.range.lowerBound, $1.key) }
        for (a, b) in zip(spans, spans.dropFirst()) where b.value.range.lowerBound < a.value.range.upperBound {
            throw ModelFileError.overlap(path: path, first: a.key, second: b.key)
        }
        return Header(tensors: tensors, metadata: metadata)
    }

    /// The values of one tensor whose header `parseHeader` accepted for this `data`.
    public static func values(of info: TensorInfo, in data: Data) -> Entry {
        let elements = info.range.count / 4
        var values = [Float](repeating: 0, count: elements)
        data.withUnsafeBytes { raw in
            let base = raw.baseAddress! + info.range.lowerBound
            values.withUnsafeMutableBytes { out in
                if elements > 0 { memcpy(out.baseAddress!, base, elements * 4) }
            }
        }
        for i in 0..<elements { values[i] = Float(bitPattern: UInt32(littleEndian: values[i].bitPattern)) }
        return Entry(shape: info.shape, values: values)
    }

    /// A whole number from JSON, or nil for fractions, non-numbers and values beyond 2^53.
    private static func integer(_ value: Any) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        let d = number.doubleValue
        guard d.isFinite, d == d.rounded(), abs(d) <= 9_007_199_254_740_992 else { return nil }
        return Int(d)
    }

    /// Copies tensors read from `path` into a network, insisting that names and shapes match exactly.
    public static func load(_ entries: [String: Entry], into network: Layer, path: String) throws {
        let targets = network.namedTensors
        let wanted = Set(targets.map(\.0))
        if let extra = entries.keys.sorted().first(where: { !wanted.contains($0) }) {
            throw ModelFileError.unexpectedTensor(path: path, tensor: extra)
        }
        for (name, tensor) in targets {
            guard let e = entries[name] else { throw ModelFileError.missingTensor(path: path, tensor: name) }
            guard e.shape == tensor.shape else {
                throw ModelFileError.shapeMismatch(path: path, tensor: name, expected: tensor.shape, found: e.shape)
            }
            guard e.values.allSatisfy(\.isFinite) else { throw ModelFileError.nonFinite(path: path, tensor: name) }
            tensor.copy(from: e.values)
        }
    }
}

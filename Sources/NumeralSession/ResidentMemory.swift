import Foundation

/// This process's resident set size, read from /proc (Linux), for the memory soak and `--timing`.
public enum ResidentMemory {
    /// Resident bytes, or nil where /proc/self/statm is unavailable.
    public static func currentBytes() -> Int? {
        // statm: size resident shared text lib data dt, in pages.
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    public static func megabytes(_ bytes: Int?) -> String {
        bytes.map { String(format: "%.1f MB", Double($0) / 1_048_576) } ?? "unknown"
    }
}

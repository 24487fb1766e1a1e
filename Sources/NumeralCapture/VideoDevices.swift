import Foundation

/// A V4L2 device node (`/dev/videoN`) and the name its driver gives it.
public struct VideoDevice: Equatable, Sendable {
    public var path: String
    public var name: String?

    public init(path: String, name: String? = nil) {
        self.path = path
        self.name = name
    }

    /// The video device nodes in `directory`, in number order, named from sysfs
    /// (`/sys/class/video4linux/videoN/name`) when it says. Only lists; whether a node
    /// delivers frames shows when it is opened.
    public static func list(directory: String = "/dev", names: String = "/sys/class/video4linux") -> [VideoDevice] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let numbered = entries.compactMap { entry -> (Int, String)? in
            guard entry.hasPrefix("video"), let n = Int(entry.dropFirst(5)), n >= 0 else { return nil }
            return (n, entry)
        }
        return numbered.sorted { $0.0 < $1.0 }.map { _, entry in
            let nameFile = (names as NSString).appendingPathComponent("\(entry)/name")
            let name = (try? String(contentsOfFile: nameFile, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return VideoDevice(path: (directory as NSString).appendingPathComponent(entry),
                               name: name?.isEmpty == false ? name : nil)
        }
    }
}

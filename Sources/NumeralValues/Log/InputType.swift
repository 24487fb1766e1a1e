/// Where a prediction's input came from. The raw values are what the log stores (SQLite,
/// PostgreSQL, CSV, JSON); a stored value that is none of these is an error, never a guess.
public enum InputType: String, CaseIterable, Codable, Sendable {
    case canvas, upload, camera, api
}

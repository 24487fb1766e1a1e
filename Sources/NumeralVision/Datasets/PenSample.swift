import Foundation

/// One labelled character drawn with a pen (a digit of the UCI pen digits set, a character of
/// DigiLeTs), already in screen coordinates (y pointing down) inside a 500x500 canvas.
public struct PenSample: Equatable, Sendable {
    /// The class: the digit for pen digits; for DigiLeTs the index in `CharacterClasses.alphanumeric`
    /// order until `DigiLeTs.samples(_:reading:)` maps it to a set's outputs.
    public var label: Int
    /// The writer (1...30 in pen digits, the file's ID in DigiLeTs): split train/test by person.
    public var writer: Int
    public var writerSample: Int
    public var drawing: Drawing

    public init(label: Int, writer: Int, writerSample: Int, drawing: Drawing) {
        self.label = label
        self.writer = writer
        self.writerSample = writerSample
        self.drawing = drawing
    }
}

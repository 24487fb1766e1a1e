import Foundation
import NumeralRecognition

/// A one-line progress bar redrawn in place on a terminal (and printed once per epoch otherwise).
struct TerminalProgress {
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private var lastDraw = Date.distantPast

    mutating func update(_ p: TrainingProgress) {
        if let done = p.finished {
            let line = String(format: "epoch %2d/%d  loss %.4f  acc %.2f%%  val loss %.4f  val acc %.2f%%  lr %.2e  %.0fs",
                              done.epoch, p.epochs, done.trainLoss, done.trainAccuracy * 100, done.validationLoss,
                              done.validationAccuracy * 100, done.learningRate, done.seconds)
            write((isTerminal ? "\r\u{1B}[2K" : "") + line + "\n")
            return
        }
        guard isTerminal, Date().timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = Date()
        let width = 24
        let fraction = Double(p.batch) / Double(max(p.batches, 1))
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let done = Double(p.epoch - 1) + fraction
        let eta = done > 0 ? p.elapsed / done * (Double(p.epochs) - done) : 0
        write(String(format: "\r\u{1B}[2Kepoch %2d/%d %@ %d/%d  loss %.4f  acc %.2f%%  ETA %@",
                     p.epoch, p.epochs, bar, p.batch, p.batches, p.loss, p.accuracy * 100, Self.duration(eta)))
    }

    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 3600 ? String(format: "%dh%02dm", t / 3600, t % 3600 / 60) : String(format: "%dm%02ds", t / 60, t % 60)
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}

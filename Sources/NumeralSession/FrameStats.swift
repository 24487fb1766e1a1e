/// Frame counts and costs over two-second windows, for `--timing`.
public struct FrameStats {
    private var windowStart: Double?
    private var frames = 0
    private var busy = 0.0
    private var worst = 0.0

    public init() {}

    public mutating func record(start: Double, end: Double, report: (String) -> Void) {
        let begin = windowStart ?? start
        windowStart = begin
        frames += 1
        busy += end - start
        worst = max(worst, end - start)
        let span = end - begin
        guard span >= 2 else { return }
        report(String(format: "%d frames in %.1f s (%.0f fps), draw+present avg %.1f ms, worst %.1f ms",
                      frames, span, Double(frames) / span, busy / Double(frames) * 1000, worst * 1000))
        windowStart = nil
        frames = 0
        busy = 0
        worst = 0
    }
}

/// Finds the long straight rules of lined or squared paper in an ink mask and erases them,
/// leaving the pen strokes that cross them.
///
/// Only pixels in thin runs across the line's direction vote (a ruled line is 1-3 px thick), in
/// a small Hough transform over near-horizontal (or near-vertical) angles, so a tilted photo's
/// lines are found whole. A rule is a line with votes along a good part of the picture; on it,
/// pixels in thin runs are erased, while a stroke crossing it (a long run) stays.
struct PaperLines {
    /// Largest slope considered, as tan(angle): about ±8°.
    var maxSlope: Float = 0.14
    var slopeStep: Float = 0.01
    /// A run this thick or thinner (pixels, across the line) can be part of a rule.
    var maxThickness: Int = 5
    /// A rule has at least this share of the picture's length in votes.
    var minLengthShare: Float = 0.3
    /// Half-width of the band erased around a found rule.
    var band: Int = 2
    /// Runs up to the rule's measured thickness plus this are erased (a paper edge's band
    /// varies in thickness along its length and meets the rules, so everything in its band goes).
    var slack: Int = 1

    /// Erases horizontal and vertical rules from `mask` (1 = ink) and zeroes `darkness` on them.
    /// Returns how many rules were found.
    @discardableResult
    func erase(mask: inout [UInt8], darkness: inout [Float], width: Int, height: Int) -> Int {
        let vertical = runLengths(mask, width: width, height: height, alongX: false)
        let found = erase(mask: &mask, darkness: &darkness, runs: vertical, width: width, height: height, transposed: false)
        let horizontal = runLengths(mask, width: width, height: height, alongX: true)
        return found + erase(mask: &mask, darkness: &darkness, runs: horizontal, width: width, height: height, transposed: true)
    }

    /// For each ink pixel, the length of the run of ink it belongs to, along x or along y.
    func runLengths(_ mask: [UInt8], width: Int, height: Int, alongX: Bool) -> [UInt16] {
        var runs = [UInt16](repeating: 0, count: width * height)
        if !alongX {
            // Down the columns, but in memory order: count each run going down, then hand every
            // pixel its run's full length going back up.
            mask.withUnsafeBufferPointer { m in
                runs.withUnsafeMutableBufferPointer { r in
                    for y in 0..<height {
                        let line = y &* width
                        for x in 0..<width where m[line &+ x] != 0 {
                            r[line &+ x] = y > 0 ? (r[line &- width &+ x] == UInt16.max ? UInt16.max : r[line &- width &+ x] &+ 1) : 1
                        }
                    }
                    if height > 1 {
                        for y in stride(from: height - 2, through: 0, by: -1) {
                            let line = y &* width
                            for x in 0..<width where m[line &+ x] != 0 && m[line &+ width &+ x] != 0 {
                                r[line &+ x] = r[line &+ width &+ x]
                            }
                        }
                    }
                }
            }
            return runs
        }
        let (outer, inner) = alongX ? (height, width) : (width, height)
        mask.withUnsafeBufferPointer { m in
            runs.withUnsafeMutableBufferPointer { r in
                for o in 0..<outer {
                    var i = 0
                    while i < inner {
                        let index = alongX ? o * width + i : i * width + o
                        if m[index] == 0 { i += 1; continue }
                        var end = i
                        while end < inner && m[alongX ? o * width + end : end * width + o] != 0 { end += 1 }
                        let length = UInt16(min(end - i, Int(UInt16.max)))
                        for k in i..<end { r[alongX ? o * width + k : k * width + o] = length }
                        i = end
                    }
                }
            }
        }
        return runs
    }

    /// Hough vote and erase for rules running along x (`transposed == false`: horizontal rules,
    /// `runs` measured along y) or along y (`transposed == true`: vertical rules, runs along x).
    private func erase(mask: inout [UInt8], darkness: inout [Float], runs: [UInt16], width: Int, height: Int,
                       transposed: Bool) -> Int {
        // In the rule's own frame: u runs along the rule, v across it.
        let length = transposed ? height : width, across = transposed ? width : height
        let slopes = Int((maxSlope / slopeStep).rounded())
        let angleCount = 2 * slopes + 1
        let margin = Int((maxSlope * Float(length)).rounded(.up)) + 1
        let bins = across + 2 * margin
        var votes = [Int32](repeating: 0, count: angleCount * bins)
        let thin = UInt16(maxThickness)
        // Each pixel votes in every angle's bin v - slope·u: the slope·u part, rounded, depends
        // on u alone and is looked up (a vote is then an add), with the margin folded in.
        var shifts = [Int](repeating: 0, count: length * angleCount)
        for u in 0..<length {
            for a in 0..<angleCount {
                shifts[u * angleCount + a] = margin - Int((Float(a - slopes) * slopeStep * Float(u)).rounded())
            }
        }
        mask.withUnsafeBufferPointer { m in
            runs.withUnsafeBufferPointer { r in
                shifts.withUnsafeBufferPointer { shift in
                    votes.withUnsafeMutableBufferPointer { acc in
                        // In memory order (rows of the picture), whichever way the rules run.
                        for y in 0..<height {
                            for x in 0..<width {
                                let index = y &* width &+ x
                                guard m[index] != 0, r[index] <= thin else { continue }
                                let (u, v) = transposed ? (y, x) : (x, y)
                                let row = u &* angleCount
                                for a in 0..<angleCount {
                                    let rho = v &+ shift[row &+ a]
                                    if rho >= 0 && rho < bins { acc[a &* bins &+ rho] &+= 1 }
                                }
                            }
                        }
                    }
                }
            }
        }
        let needed = Int32(minLengthShare * Float(length))
        var peaks: [(votes: Int32, angle: Int, rho: Int)] = []
        for a in 0..<angleCount {
            for rho in 0..<bins where votes[a * bins + rho] >= needed {
                peaks.append((votes[a * bins + rho], a, rho))
            }
        }
        peaks.sort { $0.votes > $1.votes }
        var accepted: [(angle: Int, rho: Int)] = []
        for peak in peaks where accepted.count < 200 {
            // One rule votes in neighbouring bins and angles too: keep only the strongest.
            let near = accepted.contains { abs($0.rho - peak.rho) <= 2 * band + 2 && abs($0.angle - peak.angle) <= 4 }
            if !near { accepted.append((peak.angle, peak.rho)) }
        }
        for line in accepted {
            let slope = Float(line.angle - slopes) * slopeStep
            let rho = line.rho - margin
            // The rule's own thickness: the median run across it along its length. Runs no
            // thicker than that (plus a pixel) are the rule; a pen stroke along it is thicker.
            var thickness = [Int](repeating: 0, count: Int(thin) + 2)
            for u in 0..<length {
                let center = Int((Float(rho) + slope * Float(u)).rounded())
                let low = max(0, center - band), high = min(across - 1, center + band)
                guard low <= high else { continue }
                var best = 0
                for v in low...high {
                    let index = transposed ? u * width + v : v * width + u
                    if mask[index] != 0 && runs[index] <= thin && Int(runs[index]) > best { best = Int(runs[index]) }
                }
                if best > 0 { thickness[best] += 1 }
            }
            let total = thickness.reduce(0, +)
            var seen = 0, median = Int(thin)
            for (t, n) in thickness.enumerated() {
                seen += n
                if seen * 2 >= total { median = t; break }
            }
            let erasable = UInt16(min(Int(UInt16.max), median + slack))
            for u in 0..<length {
                let center = Int((Float(rho) + slope * Float(u)).rounded())
                let low = max(0, center - band), high = min(across - 1, center + band)
                guard low <= high else { continue }
                for v in low...high {
                    let index = transposed ? u * width + v : v * width + u
                    if mask[index] == 0 || runs[index] <= erasable {
                        mask[index] = 0
                        darkness[index] = 0
                    }
                }
            }
        }
        return accepted.count
    }
}

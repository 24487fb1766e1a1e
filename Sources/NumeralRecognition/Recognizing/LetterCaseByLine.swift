import NumeralVision

/// The case of letters whose two cases share a shape (c k o p s u v w x y z), decided from the
/// line when several characters are written together: each character is normalized to fill the
/// model's input, so "o" and "O" look the same to the model and only their place on the line
/// tells them apart. The line is measured on the characters that say where it is: the cap line
/// and baseline from capitals without a lowercase twin, digits and the ascender letters
/// b d f h k l t; the x-height line from a e m n r (half-way down the cap height when none is
/// written). A shared-shape letter whose top is nearer the cap line than the x-height line is a
/// capital, otherwise lowercase; the two cases' probabilities are swapped when the model chose the
/// other one. Without a tall reference character nothing changes: on its own, "o" keeps the model's guess.
public enum LetterCaseByLine {
    static let ascenders: Set<Character> = Set("bdfhklt")
    static let xHeightLetters: Set<Character> = Set("aemnr")

    /// `tops` and `bottoms` are each character's ink extent in screen coordinates (y down).
    /// Returns the indices whose case was changed.
    @discardableResult
    public static func apply(to predictions: inout [DigitPrediction], tops: [Double], bottoms: [Double]) -> [Int] {
        guard predictions.count >= 2, predictions.count == tops.count, predictions.count == bottoms.count,
              let classes = predictions.first?.classes, classes != .digits else { return [] }
        var capTops: [Double] = [], baselines: [Double] = [], xTops: [Double] = []
        for (i, p) in predictions.enumerated() {
            let s = p.symbol
            if s.isNumber || ascenders.contains(s)
                || (s.isUppercase && !CharacterClasses.sharedShapeLetters.contains(CharacterClasses.folded(s))) {
                capTops.append(tops[i])
                baselines.append(bottoms[i])
            } else if xHeightLetters.contains(s) {
                xTops.append(tops[i])
            }
        }
        guard !capTops.isEmpty else { return [] }
        let capTop = median(capTops), baseline = median(baselines)
        guard baseline - capTop > 0 else { return [] }
        let xTop = xTops.isEmpty ? capTop + (baseline - capTop) / 2 : median(xTops)
        guard xTop > capTop else { return [] }
        let threshold = (capTop + xTop) / 2
        var changed: [Int] = []
        for i in predictions.indices {
            let s = predictions[i].symbol
            let lower = CharacterClasses.folded(s)
            guard s.isLetter, CharacterClasses.sharedShapeLetters.contains(lower),
                  let lowerIndex = classes.index(of: lower),
                  let upperIndex = classes.index(of: Character(String(lower).uppercased())) else { continue }
            let wantsUpper = tops[i] < threshold
            guard wantsUpper != s.isUppercase else { continue }
            predictions[i].probabilities.swapAt(lowerIndex, upperIndex)
            changed.append(i)
        }
        return changed
    }

    /// The ink's top and bottom (screen coordinates) of each drawing.
    public static func extents(of parts: [Drawing]) -> (tops: [Double], bottoms: [Double]) {
        var tops: [Double] = [], bottoms: [Double] = []
        for part in parts {
            let ys = part.strokes.lazy.flatMap(\.points).map(\.y).filter(\.isFinite)
            tops.append(ys.min() ?? 0)
            bottoms.append(ys.max() ?? 0)
        }
        return (tops, bottoms)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}

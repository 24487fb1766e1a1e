/// What a synthetic photo of paper is made to suffer, one condition per photo (every photo is
/// also JPEG-compressed, like a phone or webcam picture).
public enum PhotoCondition: String, CaseIterable, Sendable {
    /// Plain paper, even light, mild noise.
    case clean
    /// Strong light gradient across the page.
    case gradient
    /// A soft-edged shadow (a hand, a phone) across part of the page.
    case shadow
    /// Ruled paper: pale blue lines, the digits written on them.
    case ruled
    /// Squared paper: a pale grid under the digits.
    case squared
    /// A strip of desk at one side, with the paper's edge.
    case desk
    /// Perspective tilt of the camera.
    case tilt
    /// Out-of-focus blur and sensor noise, low JPEG quality.
    case blurNoise = "blur+noise"
    /// All of the above at once (milder each).
    case everything
}

extension Layout {
    /// A layout for data of unknown skeleton: `jointCount` joints named `joint_0`, `joint_1`, ...,
    /// all in one part `body`, with no bones. Its name is `generic<J>`.
    public static func generic(jointCount: Int) -> Layout {
        Layout(name: "generic\(jointCount)",
               joints: (0..<max(jointCount, 0)).map { "joint_\($0)" },
               parts: [Part(name: "body", joints: Array(0..<max(jointCount, 0)))],
               bones: [])
    }
}

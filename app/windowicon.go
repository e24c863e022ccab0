package app

import _ "embed"

// WindowIcon is the window's icon on Linux (Wails' linux.Options.Icon): the
// app icon, build/appicon.png, at 256×256. GTK keeps the icon it is given
// decoded for as long as the window lives, 4 bytes a pixel: 256 KiB at this
// size, where the 1024×1024 original held 4 MiB of the app process's memory
// and took longer to decode before the window showed. Window managers and
// task bars draw icons at 16 to 256 pixels.
//
// Made with: convert build/appicon.png -filter Lanczos -resize 256x256 -strip PNG32:app/windowicon.png
//
//go:embed windowicon.png
var WindowIcon []byte

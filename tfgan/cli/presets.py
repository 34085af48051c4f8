"""`tfgan presets`: list the presets `tfgan train --preset` takes, one line each."""


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "presets", help="list the presets with one line each (--keys: their config keys)",
        description=__doc__)
    parser.add_argument("--keys", action="store_true",
                        help="also print each preset's config keys and defaults")
    parser.set_defaults(run=run)
    return parser


def run(args):
    from tfgan import presets

    width = max(len(name) for name in presets.PRESETS)
    for name in sorted(presets.PRESETS):
        preset = presets.PRESETS[name]
        print(f"{name:<{width}}  {preset.description}")
        if args.keys:
            for key, value in preset.defaults.items():
                print(f"{'':<{width}}    {key}={value!r}")
    return 0

from ma_cli.commands.cli import main

main()

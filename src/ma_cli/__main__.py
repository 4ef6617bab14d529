from ma_cli.cli import main

main()

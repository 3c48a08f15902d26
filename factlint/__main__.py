from factlint.cli import main

main()

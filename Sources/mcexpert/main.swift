import ArgumentParser
import MulticastExpert

MCExpert.main()

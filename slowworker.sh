#!/bin/sh
exec sleep 31.23799

package io.fangroups.examples.quickstart;

public final class Quickstart {
  public static void main(String[] args) {
    System.out.println("quickstart");
  }
}

// The UserInputError a promise rejects with (or a function throws), for tests that inspect its
// file, line and field; any other outcome fails the test.
import { UserInputError } from "../src/errors.ts";

export async function userInputErrorOf(promise: Promise<unknown>): Promise<UserInputError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UserInputError) return error;
    throw error;
  }
  throw new Error("expected a UserInputError");
}

export function userInputErrorThrownBy(run: () => unknown): UserInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserInputError) return error;
    throw error;
  }
  throw new Error("expected a UserInputError");
}

-- The cube's slices gain time blocks (decision 041): 8- and 16-day blocks within a month and
-- quarters for the slices with many keys (street, community, department, category), and two
-- slices more (street with channel, street with category). Emptied here; the store refills
-- all three tables from the cases when it opens and finds the day rows empty.
DELETE FROM case_slices;
DELETE FROM case_cube;
DELETE FROM case_tallies;
